"""Reads an edition's yearbook.xlsx back with openpyxl, independently of the
Swift code that wrote it, and compares it with the edition's data files.

    python3 read_workbook.py EDITION_FOLDER PIPELINES_FOLDER SEED_FIGURES_CSV

Prints one line per problem and exits 1 if there is any; else prints OK and counts."""
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP

import openpyxl

edition, pipelines, seeds_path = sys.argv[1:4]
book = openpyxl.load_workbook(f"{edition}/yearbook.xlsx")
problems = []

chapters = list(csv.DictReader(open(f"{pipelines}/chapters.csv", encoding="utf-8")))
indicators = {row["code"]: row for row in csv.DictReader(open(f"{pipelines}/indicators.csv", encoding="utf-8"))}
expected_sheets = ["目录 Contents"] + [f"第{n}章 {c['title_zh']}" for n, c in enumerate(chapters, 1)] + \
    ["指标解释 Definitions", "observations", "rankings"]
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
# frozen headings, A4 fitted to the page's width.
numbers = {}
for name in expected_sheets[1:1 + len(chapters)]:
    chapter = book[name]
    found = [c for r in chapter.iter_rows() for c in r if c.data_type == "n" and c.value is not None]
    if not found:
        problems.append(f"{name}: no figure stored as a number")
    if any("#,##0" not in c.number_format for c in found):
        problems.append(f"{name}: a figure without the indicator's number format")
    numbers[name] = {Decimal(str(c.value)) for c in found}
    if not chapter._charts:
        problems.append(f"{name}: no native chart")
    if chapter.freeze_panes is None:
        problems.append(f"{name}: no frozen headings")
    if str(chapter.page_setup.paperSize) != "9" or chapter.page_setup.fitToWidth not in (1, None) or not chapter.sheet_properties.pageSetUpPr.fitToPage:
        problems.append(f"{name}: not set up for A4 fitted to width")
    if chapter.print_title_rows is None:
        problems.append(f"{name}: no headings repeated in print")

# A provisional figure keeps its mark in the number format, its value a number (BEDS_NEW 2019: 469, status P).
if "430200,BEDS_NEW,2019,469,P," in {",".join(list(r.values())[:5]) + "," for r in rows}:
    marked = [c for r in book[expected_sheets[2]].iter_rows() for c in r if c.value == 469 and c.data_type == "n"]
    if not marked or any(c.number_format != '#,##0"ᴾ"' for c in marked):
        problems.append(f"{expected_sheets[2]}: 469 without its mark: {[c.number_format for c in marked]}")
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
    sheet_name = expected_sheets[1 + [c["chapter"] for c in chapters].index(indicator["chapter"])]
    published = Decimal(seed["published"])
    in_10k = (published / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if published not in numbers[sheet_name] and in_10k not in numbers[sheet_name]:
        problems.append(f"{sheet_name}: seed figure {seed['indicator']} {published} not found as a number")
    checked += 1

for problem in problems:
    print(problem)
if problems:
    sys.exit(1)
print(f"OK {len(rows)} observations, {len(chapters)} chapters, {checked} seed figures, {checked_marks} cells marked P")
