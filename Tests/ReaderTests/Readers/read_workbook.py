"""Reads an edition's yearbook.xlsx back with openpyxl, independently of the
Swift code that wrote it, and compares it with the edition's data files.

    python3 read_workbook.py EDITION_FOLDER PIPELINES_FOLDER SEED_FIGURES_CSV

Also checks what the spreadsheet guidance statistics offices follow asks of it: a cover and a
contents sheet with links, every table an Excel table with one header row and no filter buttons,
no merged cells or frozen panes, every sheet open at A1, the document's title, author, keywords and
language, every chart described in words made from its figures, change cells that say % or pp with
their sign, and columns wide enough for their names and headings.

Prints one line per problem and exits 1 if there is any; else prints OK and counts."""
import csv
import math
import re
import sys
import zipfile
from decimal import Decimal, ROUND_HALF_UP

import openpyxl
from openpyxl.utils import get_column_letter

edition, pipelines, seeds_path = sys.argv[1:4]
book = openpyxl.load_workbook(f"{edition}/yearbook.xlsx")
problems = []

chapters = list(csv.DictReader(open(f"{pipelines}/chapters.csv", encoding="utf-8")))
indicators = {row["code"]: row for row in csv.DictReader(open(f"{pipelines}/indicators.csv", encoding="utf-8"))}
expected_sheets = ["封面 Cover", "目录 Contents"] + [f"第{n}章 {c['title_zh']}" for n, c in enumerate(chapters, 1)] + \
    ["指标解释 Definitions", "observations", "rankings"]
chapter_sheets = expected_sheets[2:2 + len(chapters)]
if book.sheetnames != expected_sheets:
    problems.append(f"sheets {book.sheetnames} != {expected_sheets}")

# The data sheet holds every row of observations.csv, values as numbers.
rows = list(csv.DictReader(open(f"{edition}/data/observations.csv", encoding="utf-8")))
sheet = book["observations"]
cells = list(sheet.iter_rows(min_row=2, values_only=False))
if len(cells) != len(rows):
    problems.append(f"observations: {len(cells)} rows in the sheet, {len(rows)} in the CSV")
for row, line in zip(rows, cells):
    code, _, _, indicator, name_zh, name_en, unit, period, value, status, source = line
    if (code.value, indicator.value, period.value, status.value, source.value) != \
            (row["area_code"], row["indicator"], int(row["period"]), row["status"], row["source"]):
        problems.append(f"observations: {row} read back as {[c.value for c in line]}")
    if name_zh.value != indicators[row["indicator"]]["name_zh"] or name_en.value != indicators[row["indicator"]]["name_en"]:
        problems.append(f"observations: {row['indicator']} named {name_zh.value} / {name_en.value}")
    if row["value"] == "":
        if value.value is not None:
            problems.append(f"observations: {row} has a value {value.value} in the sheet")
    elif value.data_type != "n" or Decimal(str(value.value)) != Decimal(row["value"]):
        problems.append(f"observations: {row['area_code']} {row['indicator']} {row['period']}: {value.value!r} against {row['value']}")

# Every chapter sheet: tables with figures as numbers in the indicator's format, native charts,
# A4 fitted to the page's width, headings repeated in print.
numbers = {}
for name in chapter_sheets:
    chapter = book[name]
    found = [c for r in chapter.iter_rows() for c in r if c.data_type == "n" and c.value is not None]
    if not found:
        problems.append(f"{name}: no figure stored as a number")
    if any("#,##0" not in c.number_format for c in found):
        problems.append(f"{name}: a figure without the indicator's number format")
    numbers[name] = {Decimal(str(c.value)) for c in found}
    if not chapter._charts:
        problems.append(f"{name}: no native chart")
    if str(chapter.page_setup.paperSize) != "9" or chapter.page_setup.fitToWidth not in (1, None) or not chapter.sheet_properties.pageSetUpPr.fitToPage:
        problems.append(f"{name}: not set up for A4 fitted to width")
    if chapter.print_title_rows is None:
        problems.append(f"{name}: no headings repeated in print")

# A provisional figure keeps its mark in the number format, its value a number (BEDS_NEW 2019: 469, status P).
if "430200,BEDS_NEW,2019,469,P," in {",".join(list(r.values())[:5]) + "," for r in rows}:
    marked = [c for r in book[chapter_sheets[1]].iter_rows() for c in r if c.value == 469 and c.data_type == "n"]
    if not marked or any(c.number_format != '#,##0"ᴾ"' for c in marked):
        problems.append(f"{chapter_sheets[1]}: 469 without its mark: {[c.number_format for c in marked]}")
    checked_marks = len(marked)
else:
    problems.append("observations: BEDS_NEW of 430200 in 2019 is not 469 (P)")

# Every indicator is named and explained on the definitions sheet.
words = {str(c.value) for r in book["指标解释 Definitions"].iter_rows() for c in r if c.value is not None}
for code, indicator in indicators.items():
    if f"{indicator['name_zh']} ({code})" not in words or indicator["name_en"] not in words:
        problems.append(f"definitions: {code} {indicator['name_zh']} missing")

# The seed figures of the contract are in their chapter's sheet as numbers (in 万 where the table shows 万元).
checked = 0
for seed in csv.DictReader(open(seeds_path, encoding="utf-8")):
    if seed["area_code"] != "430200" or "+" in seed["indicator"] or seed["tolerance"] != "0" or seed["indicator"] not in indicators:
        continue
    indicator = indicators[seed["indicator"]]
    sheet_name = chapter_sheets[[c["chapter"] for c in chapters].index(indicator["chapter"])]
    published = Decimal(seed["published"])
    in_10k = (published / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if published not in numbers[sheet_name] and in_10k not in numbers[sheet_name]:
        problems.append(f"{sheet_name}: seed figure {seed['indicator']} {published} not found as a number")
    checked += 1

# --- What the spreadsheet guidance asks ---
definition = open(f"{pipelines}/yearbook.yml", encoding="utf-8").read()
title_zh = re.search(r"^title:\n  zh: (.+)$", definition, re.M).group(1)
year = int(edition.rstrip("/").split("/")[-1])
bureau = title_zh.split("统计年鉴")[0] + "局"


def width(text):
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def location(cell):
    return cell.hyperlink.location if cell.hyperlink is not None else None


# The cover: title, the bureau, the year, what the workbook holds, the marks, a link to the contents.
cover = book["封面 Cover"]
cover_text = "\n".join(str(c.value) for r in cover.iter_rows() for c in r if c.value is not None)
if cover["A1"].value != f"{title_zh} {year}":
    problems.append(f"cover: A1 is {cover['A1'].value!r}, not the title {title_zh} {year}")
for needed in [bureau, f"{year}年版", "内容 What the workbook holds", "符号说明 How to read the marks",
               "ᴾ", "1/1", "+2.0%", "+1.5 pp", "percentage points"]:
    if needed not in cover_text:
        problems.append(f"cover: {needed!r} is not said")
if "'目录 Contents'!A1" not in [location(c) for r in cover.iter_rows() for c in r]:
    problems.append("cover: no link to the contents")

# The contents: every sheet, a link to it and a line saying what it holds.
contents = book["目录 Contents"]
linked = {}
for row in contents.iter_rows():
    target = location(row[0])
    if target:
        linked[target] = row[1].value
for name in expected_sheets:
    description = linked.get(f"'{name}'!A1")
    if not description or len(description) < 10:
        problems.append(f"contents: no link to {name} with its description ({description!r})")

# Every sheet: no merged cells, no frozen panes, opens at A1; the cover is the sheet shown first.
if book.active.title != "封面 Cover":
    problems.append(f"the workbook opens at {book.active.title}")
tables = 0
for sheet in book:
    if sheet.merged_cells.ranges:
        problems.append(f"{sheet.title}: merged cells {[str(r) for r in sheet.merged_cells.ranges]}")
    if sheet.freeze_panes is not None:
        problems.append(f"{sheet.title}: frozen panes at {sheet.freeze_panes}")
    view = sheet.sheet_view
    active = [s.activeCell for s in view.selection if s.activeCell]
    if view.topLeftCell not in (None, "A1") or any(cell != "A1" for cell in active):
        problems.append(f"{sheet.title}: opens at {view.topLeftCell} with {active} active")
    # Every table an Excel table: one header row (its names the cells'), no filter buttons.
    for table in sheet.tables.values():
        tables += 1
        if table.headerRowCount not in (None, 1) or table.autoFilter is not None:
            problems.append(f"{sheet.title}: table {table.name} has {table.headerRowCount} header rows, filter {table.autoFilter}")
        first = sheet[table.ref.split(":")[0]]
        heads = [sheet.cell(first.row, first.column + i).value for i in range(len(table.tableColumns))]
        if heads != [column.name.replace("_x000a_", "\n") for column in table.tableColumns]:
            problems.append(f"{sheet.title}: table {table.name} heads {heads} against {[c.name for c in table.tableColumns]}")

for name in chapter_sheets:
    chapter = book[name]
    announced = re.match(r"本表共(\d+)个表格", str(chapter["A3"].value))
    captions = [c for r in chapter.iter_rows(max_col=1) for c in r if re.match(r"表\d+ ", str(c.value or ""))]
    starts = {chapter[t.ref.split(":")[0]].row: t for t in chapter.tables.values()}
    if not announced or int(announced.group(1)) != len(chapter.tables) or len(captions) != len(chapter.tables):
        problems.append(f"{name}: {chapter['A3'].value!r} announces, {len(captions)} captions, {len(chapter.tables)} tables")
    for number, caption in enumerate(captions, 1):
        if not caption.value.startswith(f"表{number} ") or f"Table {number}:" not in caption.value or caption.row + 1 not in starts:
            problems.append(f"{name}: caption {caption.value!r} is not numbered {number} above its table")
    # Names and headings show whole: a name fits its column; a heading wraps in a row tall enough.
    for table in chapter.tables.values():
        top, bottom = table.ref.split(":")
        top, bottom = chapter[top], chapter[bottom]
        for column in range(top.column, bottom.column + 1):
            letter = get_column_letter(column)
            room = chapter.column_dimensions[letter].width
            heading = str(chapter.cell(top.row, column).value)
            lines = sum(max(1, math.ceil(width(line) / (room - 2))) for line in heading.split("\n"))
            height = chapter.row_dimensions[top.row].height or 15
            if lines * 15 > height:
                problems.append(f"{name}: heading {heading!r} takes {lines} lines in a row {height} high")
            for row in range(top.row + 1, bottom.row + 1):
                value = chapter.cell(row, column).value
                if isinstance(value, str) and width(value) > room:
                    problems.append(f"{name}: {value!r} is wider than its column ({room})")

# Two-level headings are flattened into one row (the social-assistance topic table).
flattened = "低保户数：城市 (户)\nHouseholds: Urban (households)"
if flattened not in [c.name.replace("_x000a_", "\n") for t in book[chapter_sheets[0]].tables.values() for c in t.tableColumns]:
    problems.append(f"{chapter_sheets[0]}: no heading {flattened!r}")

# The change column says % or pp with its sign; the value stays a number.
percent, points = '+#,##0.0"%";-#,##0.0"%";0.0"%"', '+#,##0.0" pp";-#,##0.0" pp";0.0" pp"'
changes = {"%": 0, "pp": 0}
for name in chapter_sheets:
    chapter = book[name]
    for table in chapter.tables.values():
        top = chapter[table.ref.split(":")[0]]
        names = [c.name.replace("_x000a_", "\n") for c in table.tableColumns]
        if "增长 (% 或百分点)\nChange (% or pp)" not in names:
            continue
        column = top.column + names.index("增长 (% 或百分点)\nChange (% or pp)")
        for row in range(top.row + 1, chapter[table.ref.split(":")[1]].row + 1):
            cell, unit = chapter.cell(row, column), chapter.cell(row, top.column + 1).value
            if cell.data_type != "n":
                continue
            expected = points if unit == "%" else percent
            if cell.number_format != expected:
                problems.append(f"{name}: change {cell.value} of unit {unit} formatted {cell.number_format}")
            changes["pp" if unit == "%" else "%"] += 1
if not changes["%"] or not changes["pp"]:
    problems.append(f"change cells: {changes}")

# The document's properties and language.
archive = zipfile.ZipFile(f"{edition}/yearbook.xlsx")
core = archive.read("docProps/core.xml").decode("utf-8")
for element, value in [("dc:title", f"{title_zh} {year}"), ("dc:creator", bureau), ("dc:language", "zh-CN")]:
    if f"<{element}>{value}</{element}>" not in core:
        problems.append(f"docProps/core.xml: no {element} {value}: {core}")
if not re.search(r"<cp:keywords>[^<]*民政统计[^<]*</cp:keywords>", core):
    problems.append(f"docProps/core.xml: no keywords: {core}")

# A line break in a table column's name is written _x000a_, as Excel does: a bare one makes Excel repair the file.
for part in (n for n in archive.namelist() if n.startswith("xl/tables/")):
    if re.search(r'name="[^"]*(&#xA;|&#10;|\n)', archive.read(part).decode("utf-8")):
        problems.append(f"{part}: a column name with a bare line break")

# Every chart described in words made from its figures: the first and last (a line) or the
# highest and lowest (bars), as the table beside it shows them.
charts = 0
for part in sorted(n for n in archive.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)):
    drawing = archive.read(part).decode("utf-8")
    rels = archive.read(part.replace("drawings/", "drawings/_rels/") + ".rels").decode("utf-8")
    targets = dict(re.findall(r'Id="(rId\d+)"[^>]*Target="\.\./charts/(chart\d+\.xml)"', rels))
    targets.update({i: t for t, i in re.findall(r'Target="\.\./charts/(chart\d+\.xml)"[^>]*Id="(rId\d+)"', rels)})
    for frame in re.findall(r"<xdr:graphicFrame.*?</xdr:graphicFrame>", drawing, re.S):
        charts += 1
        descr = re.search(r'descr="([^"]*)"', frame)
        descr = descr.group(1).replace("&amp;", "&") if descr else ""
        chart = archive.read("xl/charts/" + targets[re.search(r'r:id="(rId\d+)"', frame).group(1)]).decode("utf-8")
        sheet_name, first, last = re.search(r"<c:val><c:numRef><c:f>'?(.*?)'?!\$B\$(\d+):\$B\$(\d+)</c:f>", chart).groups()
        cells = [book[sheet_name].cell(row, 2) for row in range(int(first), int(last) + 1)]
        decimals = len(cells[0].number_format.split(".")[1]) if "." in cells[0].number_format else 0
        shown = [f"{c.value:,.{decimals}f}" for c in cells]
        values = [c.value for c in cells]
        line = "<c:lineChart>" in chart
        needed = [shown[0], shown[-1]] if line else [shown[values.index(max(values))], shown[values.index(min(values))]]
        prefix = "折线图：" if line else "条形图："
        if not descr.startswith(prefix) or any(figure not in descr for figure in needed):
            problems.append(f"{sheet_name}: chart description {descr!r} does not say {prefix} {needed}")
sample = "折线图：株洲市养老床位数2017—2019年由25,204张增至28,132张 · Line chart: elderly-care beds in Zhuzhou rose from 25,204 in 2017 to 28,132 in 2019"
if f'descr="{sample}"' not in "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/drawings/drawing")):
    problems.append(f"no chart described as {sample!r}")

for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print(f"OK {len(rows)} observations, {len(chapters)} chapters, {checked} seed figures, {checked_marks} cells marked P, "
      f"{tables} tables, {charts} charts described, {changes['%']} changes in % and {changes['pp']} in pp")
