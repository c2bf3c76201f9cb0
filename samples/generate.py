#!/usr/bin/env python3
"""Write the sample input tree of the `yearbook` pipeline: samples/input/.

What it makes (the layout of the data contract, sections 1-4):
  areas.csv                                Hunan, its 14 prefectures, Zhuzhou's counties
  <year>/exports/<county>_dibao.csv.gz     one row per minimum-allowance household
  <year>/exports/<county>_tekun.csv.gz     one row per extreme-poverty-support person
  <year>/submissions/*.xml[.gz]            SDMX-ML 2.1 data messages
for the reporting years 2017, 2018 and 2019.

Why: the 2019 sample yearbook that the pipeline builds from these files must
state the figures a 2019 report on Zhuzhou (430200) published
(spec/seed-figures.csv), and the files carry, on purpose, the mess that real
county exports and submissions have (encodings, aliases, quoting, rejected
rows, revisions, a retired county code). samples/README.md says where each
kind of mess is; samples/expected.py re-reads the tree independently.

Every target is hit exactly with integer arithmetic (amounts in cents) and
asserted here: the script fails loudly rather than write a tree that misses
one. Same seed, same bytes: one fixed random.Random per file, gzip with
mtime 0 and no file name, files written in sorted order, no clock.

Run: python3 samples/generate.py   (from any directory; rewrites samples/input/)
"""
from __future__ import annotations

import gzip
import io
import random
import shutil
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

SEED = 20191231
SAMPLES = Path(__file__).resolve().parent
OUT = SAMPLES / "input"
YEARS = (2017, 2018, 2019)

# --------------------------------------------------------------------------
# Area registry
# --------------------------------------------------------------------------

PROVINCE = ("430000", "湖南省", "Hunan")
PREFECTURES = [
    ("430100", "长沙市", "Changsha"), ("430200", "株洲市", "Zhuzhou"),
    ("430300", "湘潭市", "Xiangtan"), ("430400", "衡阳市", "Hengyang"),
    ("430500", "邵阳市", "Shaoyang"), ("430600", "岳阳市", "Yueyang"),
    ("430700", "常德市", "Changde"), ("430800", "张家界市", "Zhangjiajie"),
    ("430900", "益阳市", "Yiyang"), ("431000", "郴州市", "Chenzhou"),
    ("431100", "永州市", "Yongzhou"), ("431200", "怀化市", "Huaihua"),
    ("431300", "娄底市", "Loudi"), ("433100", "湘西土家族苗族自治州", "Xiangxi"),
]
ZHUZHOU = "430200"
# code, name_zh, name_en, valid_from, valid_to, successor
COUNTIES = [
    ("430202", "荷塘区", "Hetang", "", "", ""),
    ("430203", "芦淞区", "Lusong", "", "", ""),
    ("430204", "石峰区", "Shifeng", "", "", ""),
    ("430211", "天元区", "Tianyuan", "", "", ""),
    ("430212", "渌口区", "Lukou", "2018", "", ""),
    ("430221", "株洲县", "Zhuzhou County", "", "2017", "430212"),
    ("430223", "攸县", "You County", "", "", ""),
    ("430224", "茶陵县", "Chaling", "", "", ""),
    ("430225", "炎陵县", "Yanling", "", "", ""),
    ("430281", "醴陵市", "Liling", "", "", ""),
]
COUNTY_NAME = {c[0]: c[1] for c in COUNTIES}
SENDER_NAME = {code: ("株洲市" if name.endswith("区") else "") + name + "民政局"
               for code, name in COUNTY_NAME.items()}
DISTRICTS = {"430202", "430203", "430204", "430211"}


def counties_valid(year: int) -> list[str]:
    return [code for code, _, _, since, until, _ in COUNTIES
            if (not since or int(since) <= year) and (not until or year <= int(until))]


def profile(county: str) -> str:
    """株洲县 430221 (until 2017) and 渌口区 430212 are one county: one profile."""
    return "430212" if county == "430221" else county


def areas_csv() -> bytes:
    lines = ["code,name_zh,name_en,level,parent,valid_from,valid_to,successor"]
    lines.append(f"{PROVINCE[0]},{PROVINCE[1]},{PROVINCE[2]},province,,,,")
    lines += [f"{c},{zh},{en},prefecture,{PROVINCE[0]},,," for c, zh, en in PREFECTURES]
    lines += [f"{c},{zh},{en},county,{ZHUZHOU},{since},{until},{succ}"
              for c, zh, en, since, until, succ in COUNTIES]
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------
# Roster targets
# --------------------------------------------------------------------------

# 2019 active, accepted roster sizes per county: dibao members (urban, rural)
# and tekun persons (urban, rural). Liling and You County are the largest.
DIBAO_MEMBERS_2019 = {
    "430202": (5512, 968), "430203": (4695, 521), "430204": (4806, 1187),
    "430211": (2583, 1729), "430212": (1318, 7471), "430223": (4287, 15204),
    "430224": (3164, 12653), "430225": (1752, 5236), "430281": (7231, 21622),
}
TEKUN_PERSONS_2019 = {
    "430202": (352, 151), "430203": (318, 104), "430204": (309, 168),
    "430211": (236, 287), "430212": (104, 1641), "430223": (219, 3478),
    "430224": (171, 3124), "430225": (97, 1338), "430281": (362, 5629),
}
# Rosters shrink slowly: a year earlier each county had this many per mille more.
ROSTER_DECLINE = {"dibao": 44, "tekun": 27}

# Prefecture-wide level (cents per person: per month for dibao, per year for
# tekun) that the active rows hit exactly: sum(amount) = level * persons.
# Published (0 decimals): 2019 374 / 223 / 7987 / 7314.
LEVEL_CENTS = {
    2019: {("dibao", "U"): 37362, ("dibao", "R"): 22321,
           ("tekun", "U"): 798727, ("tekun", "R"): 731359},
    2018: {("dibao", "U"): 35217, ("dibao", "R"): 20884,
           ("tekun", "U"): 754163, ("tekun", "R"): 689042},
    2017: {("dibao", "U"): 33108, ("dibao", "R"): 19637,
           ("tekun", "U"): 710488, ("tekun", "R"): 647815},
}
PUBLISHED_LEVEL_2019 = {("dibao", "U"): 374, ("dibao", "R"): 223,
                        ("tekun", "U"): 7987, ("tekun", "R"): 7314}


def roster_sizes(year: int, county: str, roster: str) -> dict[str, int]:
    base = (DIBAO_MEMBERS_2019 if roster == "dibao" else TEKUN_PERSONS_2019)[profile(county)]
    # a county-specific wobble of -3..+3 per mille around the yearly decline
    rate = ROSTER_DECLINE[roster] + int(profile(county)[-2:]) % 7 - 3
    sizes = dict(zip("UR", base))
    for _ in range(2019 - year):
        sizes = {cat: (n * (1000 + rate) + 500) // 1000 for cat, n in sizes.items()}
    return sizes


# --------------------------------------------------------------------------
# Roster records
# --------------------------------------------------------------------------

@dataclass
class Record:
    """One roster row before it is written: typed values, plus raw overrides."""
    category: str                 # "U" or "R"
    active: bool
    cents: int
    members: int = 0              # dibao only
    care: str = ""                # tekun only: "C" or "D"
    area: str = ""
    id: str = ""
    remark: str = ""
    raw: dict[str, str] = field(default_factory=dict)   # column -> literal text
    reject: str = ""              # why the pipeline must reject it ("" = valid)
    dup_of: "Record | None" = None


def pick(rng: random.Random, items, weights):
    """Weighted choice with integer arithmetic only."""
    r = rng.randrange(sum(weights))
    for item, w in zip(items, weights):
        if r < w:
            return item
        r -= w
    raise AssertionError("unreachable")


def draw_members(rng: random.Random, category: str) -> int:
    weights = (36, 31, 19, 9, 4, 1) if category == "U" else (30, 32, 21, 11, 5, 1)
    return pick(rng, range(1, 7), weights)


# per-county level factors in percent (urban districts pay more)
def level_factor(county: str, category: str) -> int:
    if profile(county) in DISTRICTS:
        return 105 if category == "U" else 104
    return {"430281": 100, "430223": 98}.get(profile(county), 95)


def dibao_records(rng: random.Random, year: int, county: str) -> list[Record]:
    level = {cat: LEVEL_CENTS[year][("dibao", cat)] // 100 for cat in "UR"}
    sizes = roster_sizes(year, county, "dibao")

    def household(cat: str, members: int, active: bool) -> Record:
        yuan = members * level[cat] * level_factor(county, cat) * rng.randint(60, 140) // 10000
        if not active and rng.randrange(3) == 0:
            yuan = 0          # a suspended household often shows a zero allowance
        return Record(category=cat, active=active, cents=yuan * 100, members=members)

    records = []
    for cat in "UR":
        remaining = sizes[cat]
        while remaining:
            members = min(draw_members(rng, cat), remaining)
            records.append(household(cat, members, True))
            remaining -= members
    records += inactive_extras(rng, records,
                               lambda cat: household(cat, draw_members(rng, cat), False))
    rng.shuffle(records)
    return records


def tekun_records(rng: random.Random, year: int, county: str) -> list[Record]:
    level = {cat: LEVEL_CENTS[year][("tekun", cat)] // 100 for cat in "UR"}
    sizes = roster_sizes(year, county, "tekun")
    central_pct = {"U": 15, "R": 28}

    def person(cat: str, care: str, active: bool) -> Record:
        care_factor = 108 if care == "C" else 97
        yuan = (level[cat] * level_factor(county, cat) * care_factor * rng.randint(97, 103)
                // 1000000)
        return Record(category=cat, active=active, cents=yuan * 100, care=care)

    records = []
    for cat in "UR":
        n = sizes[cat]
        n_central = n * central_pct[cat] // 100
        cares = ["C"] * n_central + ["D"] * (n - n_central)
        records += [person(cat, care, True) for care in cares]
    records += inactive_extras(
        rng, records, lambda cat: person(cat, "C" if rng.randrange(4) == 0 else "D", False))
    rng.shuffle(records)
    return records


def inactive_extras(rng: random.Random, active: list[Record], make) -> list[Record]:
    """2-4 % more rows that are suspended: validated, never counted."""
    per_mille = rng.randint(20, 40)
    urban = sum(r.category == "U" for r in active)
    return [make(pick(rng, "UR", (urban, len(active) - urban)))
            for _ in range(len(active) * per_mille // 1000)]


def hit_level(rng: random.Random, records: list[Record], target_cents: int) -> None:
    """Scale the amounts of the counted rows (whole yuan) so that they sum to
    target_cents exactly, then spread the rounding difference over a few rows."""
    total = sum(r.cents for r in records)
    for r in records:
        r.cents = 100 * ((2 * r.cents * target_cents + total * 100) // (2 * total * 100))
    diff = target_cents - sum(r.cents for r in records)
    sign = 1 if diff >= 0 else -1
    yuan, cents = divmod(abs(diff), 100)
    steps = max(1, -(-yuan // 9))                     # at most 9 yuan per row
    chosen = rng.sample(range(len(records)), steps)
    for k, i in enumerate(chosen):
        share = yuan // steps + (1 if k < yuan % steps else 0)
        records[i].cents += sign * (share * 100 + (cents if k == 0 else 0))
        assert records[i].cents > 0
    assert sum(r.cents for r in records) == target_cents


def assign_ids_and_areas(rng: random.Random, year: int, county: str, roster: str,
                         records: list[Record]) -> None:
    seq = rng.randint(100, 900)
    for r in records:
        seq += 1 + (rng.randint(1, 3) if rng.randrange(20) == 0 else 0)
        r.id = f"{county}{seq:07d}" if roster == "dibao" else f"TK{county}{seq:06d}"
        r.area = county
        # households registered before 株洲县 became 渌口区 keep the old code
        if county == "430212" and rng.randrange(12 if year == 2018 else 30) == 0:
            r.area = "430221"
    for r in records:
        if r.dup_of is not None:
            r.id = r.dup_of.id


# --------------------------------------------------------------------------
# Rejected rows (each reason at least once in 2018 and 2019)
# --------------------------------------------------------------------------

REJECTS = {
    2017: [("430221", "dibao", "foreign area code 430212 (successor in predecessor's file)")],
    2018: [
        ("430203", "tekun", "missing id"),
        ("430212", "dibao", "duplicate id"),
        ("430224", "dibao", "foreign area code 430225"),
        ("430281", "dibao", "foreign area code 430212"),
        ("430204", "tekun", "unknown category"),
        ("430202", "dibao", "unknown status"),
        ("430225", "tekun", "unknown care mode"),
        ("430223", "dibao", "members 2.5"),
        ("430211", "dibao", "members 0"),
        ("430212", "tekun", "amount empty (suspended row)"),
        ("430202", "tekun", "amount negative"),
        ("430281", "tekun", "amount with 3 decimals"),
        ("430225", "dibao", "amount 12,34"),
    ],
    2019: [
        ("430202", "dibao", "missing id"),
        ("430281", "tekun", "duplicate id"),
        ("430223", "dibao", "foreign area code 430224"),
        ("430203", "dibao", "unknown category"),
        ("430225", "tekun", "unknown status"),
        ("430224", "tekun", "unknown care mode"),
        ("430212", "dibao", "members 0"),
        ("430204", "dibao", "members 2.5"),
        ("430211", "tekun", "amount empty"),
        ("430281", "dibao", "amount negative"),
        ("430223", "tekun", "amount with 3 decimals"),
        ("430203", "dibao", "amount 12,34"),
    ],
}


def make_reject(rng: random.Random, records: list[Record], roster: str, reason: str,
                chinese: bool) -> tuple[Record, int]:
    """A copy of a valid row with exactly one defect, and where to insert it."""
    candidates = [r for r in records if r.active and r.cents > 0]
    base = candidates[rng.randrange(len(candidates))]
    r = Record(category=base.category, active=True, cents=base.cents,
               members=base.members, care=base.care, reject=reason)
    amount = "monthly_amount" if roster == "dibao" else "annual_amount"
    at = rng.randrange(40, len(records))
    if reason == "missing id":
        r.raw["household_id" if roster == "dibao" else "person_id"] = " " if chinese else ""
    elif reason == "duplicate id":
        original = rng.randrange(20, len(records) - 40)
        r.dup_of = records[original]
        at = original + 1 + rng.randrange(30)
    elif reason.startswith("foreign area code"):
        r.raw["area_code"] = reason.split()[3]
    elif reason == "unknown category":
        r.raw["category"] = "郊区" if chinese else "suburban"
    elif reason == "unknown status":
        r.raw["status"] = "待审核" if chinese else "pending"
    elif reason == "unknown care mode":
        r.raw["care_mode"] = "居家" if chinese else "home"
    elif reason.startswith("members"):
        r.raw["members"] = reason.split()[1]
    elif reason.startswith("amount empty"):
        r.raw[amount] = ""
        r.active = "suspended" not in reason
    elif reason == "amount negative":
        r.raw[amount] = f"-{r.cents // 100}.00"
    elif reason == "amount with 3 decimals":
        r.raw[amount] = f"{r.cents // 100}.125"
    elif reason == "amount 12,34":
        r.raw[amount] = "12,34"
    else:
        raise AssertionError(reason)
    return r, at


# --------------------------------------------------------------------------
# Export styles: how each county's system writes its files
# --------------------------------------------------------------------------

DIBAO_COLS = ("household_id", "area_code", "category", "members", "monthly_amount", "status")
TEKUN_COLS = ("person_id", "area_code", "category", "care_mode", "annual_amount", "status")
ZH_HEADERS = {
    "household_id": "户编号", "person_id": "人员编号", "area_code": "行政区划代码",
    "category": "城乡类别", "members": "保障人数", "monthly_amount": "月保障金额(元)",
    "care_mode": "供养方式", "annual_amount": "年供养金额(元)", "status": "状态",
    "remark": "备注",
}
WORDS = {   # vocabulary -> value -> words used (one chosen per row)
    "code": {"U": ["U"], "R": ["R"], "C": ["C"], "D": ["D"],
             True: ["active"], False: ["suspended"]},
    "code-mixed-case": {"U": ["U"], "R": ["R"], "C": ["C"], "D": ["D"],
                        True: ["Active", "active", "ACTIVE"], False: ["SUSPENDED", "Suspended"]},
    "words-digits": {"U": ["urban", "Urban"], "R": ["rural", "RURAL"],
                     "C": ["centralized"], "D": ["dispersed"], True: ["1"], False: ["0"]},
    "zh-city": {"U": ["城市"], "R": ["农村"], "C": ["集中"], "D": ["分散"],
                True: ["在保"], False: ["停保"]},
    "zh-town": {"U": ["城镇"], "R": ["农村"], "C": ["集中"], "D": ["分散"],
                True: ["正常"], False: ["暂停"]},
}


@dataclass(frozen=True)
class ExportStyle:
    encoding: str                 # "utf-8", "utf-8-sig" (BOM) or "gb18030"
    eol: str                      # "\n" or "\r\n"
    headers: str                  # "canonical", "zh" or "zh-fullwidth" (（元）)
    order: tuple[int, ...]        # indexes into the canonical columns (6 = remark)
    words: str                    # key of WORDS
    amounts: str                  # "2dp", "short" or "grouped" ("1,234.50")
    quote_all: bool = False
    pad: str = ""                 # surrounding whitespace put on some cells
    fullwidth: bool = False       # full-width digits in some cells
    gzip_members: int = 1
    final_eol: bool = True

    @property
    def chinese(self) -> bool:
        return self.headers != "canonical"


PLAIN = (0, 1, 2, 3, 4, 5)
STATUS_FIRST_REMARK = (5, 2, 0, 3, 4, 1, 6)
AREA_LAST_REMARK = (0, 2, 3, 4, 5, 1, 6)


def export_style(year: int, county: str, roster: str) -> ExportStyle:
    tekun = roster == "tekun"
    if county == "430202":     # modern system; 2019 version writes mixed-case status words
        return ExportStyle("utf-8", "\n", "canonical", PLAIN,
                           "code-mixed-case" if year == 2019 else "code", "2dp")
    if county == "430203":     # Excel "CSV UTF-8": BOM, CRLF, grouped amounts
        return ExportStyle("utf-8-sig", "\r\n", "zh", PLAIN, "zh-town", "grouped")
    if county == "430204":     # own column order, a remark column, 1/0 status
        return ExportStyle("utf-8", "\n", "canonical", STATUS_FIRST_REMARK,
                           "words-digits", "short")
    if county == "430211":     # BOM, CRLF, padded cells
        return ExportStyle("utf-8-sig", "\r\n", "canonical", PLAIN, "code", "short", pad=" ")
    if county in ("430212", "430221"):   # old GB18030 system
        fw = roster == "dibao" and year >= 2018
        return ExportStyle("gb18030", "\r\n", "zh-fullwidth" if fw else "zh", PLAIN,
                           "zh-city", "2dp")
    if county == "430223":     # Chinese headers, remark, full-width digits typed by hand
        return ExportStyle("utf-8", "\n", "zh", AREA_LAST_REMARK, "zh-town", "short",
                           fullwidth=True, gzip_members=3 if (year, roster) == (2018, "tekun") else 1)
    if county == "430224":     # GB18030 until a new system in 2019 quotes every field
        if year < 2019:
            return ExportStyle("gb18030", "\n", "zh", PLAIN, "zh-town", "2dp", pad="\u3000")
        return ExportStyle("utf-8-sig", "\r\n", "zh", PLAIN, "zh-city", "2dp", quote_all=True)
    if county == "430225":
        return ExportStyle("gb18030", "\n", "zh", PLAIN, "zh-city", "grouped" if tekun else "2dp")
    if county == "430281":
        return ExportStyle("utf-8", "\n", "canonical", PLAIN, "code", "grouped" if tekun else "2dp",
                           gzip_members=2 if (year, roster) == (2019, "dibao") else 1,
                           final_eol=(year, roster) != (2019, "tekun"))
    raise AssertionError(county)


def format_amount(cents: int, how: str) -> str:
    yuan, c = divmod(cents, 100)
    if how == "2dp":
        return f"{yuan}.{c:02d}"
    if how == "grouped":
        return f"{yuan:,}.{c:02d}"
    if c == 0:
        return str(yuan)
    return f"{yuan}.{c // 10}" if c % 10 == 0 else f"{yuan}.{c:02d}"


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
REMARKS = ["残疾", "重病", "单亲家庭", "独居老人", "低收入", "因学致贫", "年度复核通过"]
SPECIAL_REMARKS = {   # record index -> remark exercising RFC 4180 quoting
    3: '户主称"暂时外出务工"，已电话核实',
    7: "8月入户复核{eol}收入超标待停保",
    11: "重残,一级",
    15: '备注："低保边缘"{eol}待民主评议',
}


# --------------------------------------------------------------------------
# CSV writing, with a manifest of where each kind of mess is
# --------------------------------------------------------------------------

class Manifest:
    """Where the mess is: (file, kind) -> lines; printed for samples/README.md."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, str], list[int]] = {}
        self.rejects: list[tuple[str, int, str]] = []

    def note(self, path: str, kind: str, line: int) -> None:
        self.lines.setdefault((path, kind), []).append(line)


def csv_cell(text: str, style: ExportStyle) -> str:
    if style.quote_all or any(ch in text for ch in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def render_export(rng: random.Random, path: str, roster: str, style: ExportStyle,
                  records: list[Record], manifest: Manifest) -> bytes:
    canonical = (DIBAO_COLS if roster == "dibao" else TEKUN_COLS) + ("remark",)
    columns = [canonical[i] for i in style.order]
    names = {c: c for c in canonical}
    if style.chinese:
        names = dict(ZH_HEADERS)
        if style.headers == "zh-fullwidth":
            names = {c: n.replace("(", "（").replace(")", "）") for c, n in names.items()}
    if "（" in "".join(names[c] for c in columns):
        manifest.note(path, "full-width parentheses in header", 1)
    header = ",".join(csv_cell(names[c], style) for c in columns)
    words = WORDS[style.words]
    texts, line = [], 2
    for index, rec in enumerate(records):
        cell = {
            "household_id": rec.id, "person_id": rec.id, "area_code": rec.area,
            "category": rng.choice(words[rec.category]),
            "members": str(rec.members),
            "care_mode": rng.choice(words[rec.care]) if rec.care else "",
            "monthly_amount": format_amount(rec.cents, style.amounts),
            "annual_amount": format_amount(rec.cents, style.amounts),
            "status": rng.choice(words[rec.active]),
            "remark": "",
        }
        if "remark" in columns:
            if index in SPECIAL_REMARKS:
                cell["remark"] = SPECIAL_REMARKS[index].format(eol=style.eol)
            elif rng.randrange(30) == 0:
                cell["remark"] = rng.choice(REMARKS)
        if rec.area == "430221" and path.endswith(("430212_dibao.csv.gz", "430212_tekun.csv.gz")):
            manifest.note(path, "predecessor code 430221 (accepted)", line)
        if not rec.reject:
            sprinkle(rng, path, style, cell, columns, line, manifest)
        cell.update(rec.raw)
        row = ",".join(csv_cell(cell[c], style) for c in columns)
        for kind, present in (("doubled quote", '""' in row),
                              ("embedded line break", "\n" in row),
                              ("thousands separator", any(
                                  "," in cell[c] and not rec.raw.get(c)
                                  for c in ("monthly_amount", "annual_amount") if c in columns))):
            if present:
                manifest.note(path, kind, line)
        if rec.reject:
            manifest.rejects.append((path, line, rec.reject))
        elif not rec.active:
            manifest.note(path, "inactive", line)
        texts.append(row)
        line += 1 + row.count("\n")
    chunks = split_members([header] + texts, style.gzip_members)
    eol = style.eol
    out = []
    for k, chunk in enumerate(chunks):
        text = eol.join(chunk)
        if k < len(chunks) - 1 or style.final_eol:
            text += eol
        data = text.encode(style.encoding)
        assert style.encoding != "gb18030" or not is_utf8(data), f"{path} would read as UTF-8"
        out.append(gzip_member(data))
    return b"".join(out)


def is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def sprinkle(rng: random.Random, path: str, style: ExportStyle, cell: dict[str, str],
             columns: list[str], line: int, manifest: Manifest) -> None:
    """Whitespace and full-width digits that the pipeline must fold away."""
    targets = [c for c in columns if c not in ("remark",)]
    if style.pad and rng.randrange(25) == 0:
        col = rng.choice(targets)
        cell[col] = rng.choice([style.pad, style.pad * 2, ""]) + cell[col] + style.pad
        manifest.note(path, "U+3000 padding" if style.pad == "\u3000" else "surrounding spaces", line)
    if style.fullwidth and rng.randrange(50) == 0:
        col = rng.choice([c for c in targets if c in
                          ("area_code", "members", "monthly_amount", "annual_amount")])
        cell[col] = cell[col].translate(FULLWIDTH)
        manifest.note(path, "full-width digits", line)


def split_members(lines: list[str], members: int) -> list[list[str]]:
    """Split at record boundaries into `members` gzip members (the first holds the header)."""
    if members == 1:
        return [lines]
    size = -(-len(lines) // members)
    return [lines[i:i + size] for i in range(0, len(lines), size)]


def gzip_member(data: bytes) -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def build_rosters(year: int, manifest: Manifest) -> tuple[dict[str, bytes], dict]:
    """All roster files of one year, and the counted totals per county."""
    records: dict[tuple[str, str], list[Record]] = {}
    rngs: dict[tuple[str, str], random.Random] = {}
    for county in counties_valid(year):
        for roster in ("dibao", "tekun"):
            rng = random.Random(f"{SEED}:{year}:{county}:{roster}")
            rngs[county, roster] = rng
            make = dibao_records if roster == "dibao" else tekun_records
            records[county, roster] = make(rng, year, county)
    # hit the prefecture-wide levels on the active rows (all are valid so far)
    for (roster, cat), level in sorted(LEVEL_CENTS[year].items()):
        rng = random.Random(f"{SEED}:{year}:{roster}:{cat}:level")
        counted = [r for (c, ro), recs in sorted(records.items()) if ro == roster
                   for r in recs if r.active and r.category == cat]
        persons = sum(r.members for r in counted) if roster == "dibao" else len(counted)
        hit_level(rng, counted, level * persons)
    totals = county_totals(records)
    files = {}
    specs = REJECTS.get(year, [])
    for (county, roster), recs in sorted(records.items()):
        rng = rngs[county, roster]
        style = export_style(year, county, roster)
        for c, ro, reason in specs:
            if (c, ro) == (county, roster):
                rec, at = make_reject(rng, recs, roster, reason, style.chinese)
                recs.insert(at, rec)
        assign_ids_and_areas(rng, year, county, roster, recs)
        path = f"{year}/exports/{county}_{roster}.csv.gz"
        files[path] = render_export(rng, path, roster, style, recs, manifest)
    check_roster_targets(year, totals)
    return files, totals


def county_totals(records) -> dict[str, dict[str, int]]:
    """Roster indicators per county from the counted (active, valid) rows."""
    out: dict[str, dict[str, int]] = {}
    for (county, roster), recs in records.items():
        t = out.setdefault(county, {})
        for cat in "UR":
            rows = [r for r in recs if r.active and not r.reject and r.category == cat]
            if roster == "dibao":
                t[f"DIBAO_HH_{cat}"] = len(rows)
                t[f"DIBAO_PERSONS_{cat}"] = sum(r.members for r in rows)
                t[f"DIBAO_AMOUNT_{cat}"] = sum(r.cents for r in rows)
            else:
                t[f"TEKUN_PERSONS_{cat}"] = len(rows)
                t[f"TEKUN_AMOUNT_{cat}"] = sum(r.cents for r in rows)
        if roster == "tekun":
            t["TEKUN_CENTRAL"] = sum(1 for r in recs if r.active and not r.reject and r.care == "C")
    return out


def round_half_away(x: Fraction, decimals: int = 0) -> Decimal:
    q = abs(x) * 10 ** decimals
    n = int(q)
    if q - n >= Fraction(1, 2):
        n += 1
    return (Decimal(n if x >= 0 else -n)).scaleb(-decimals)


def check_roster_targets(year: int, totals: dict[str, dict[str, int]]) -> None:
    s = {k: sum(t[k] for t in totals.values()) for k in next(iter(totals.values()))}
    for roster, cat in LEVEL_CENTS[year]:
        persons = s[f"{roster.upper()}_PERSONS_{cat}"]
        amount = s[f"{roster.upper()}_AMOUNT_{cat}"]
        assert amount == LEVEL_CENTS[year][roster, cat] * persons, (year, roster, cat)
        if year == 2019:
            pc = round_half_away(Fraction(amount, 100 * persons))
            assert pc == PUBLISHED_LEVEL_2019[roster, cat], (roster, cat, pc)
    if year == 2019:
        assert abs(s["DIBAO_PERSONS_U"] + s["DIBAO_PERSONS_R"] - 102000) <= 1000
        assert abs(s["TEKUN_PERSONS_U"] + s["TEKUN_PERSONS_R"] - 18100) <= 100


# --------------------------------------------------------------------------
# Submitted indicators: values per county and year (base units)
# --------------------------------------------------------------------------

ORDER = ["430202", "430203", "430204", "430211", "430212", "430223", "430224", "430225", "430281"]
POP_WEIGHTS = [318, 256, 289, 342, 404, 816, 628, 203, 1066]          # thousands, roughly
OLD_AGE = [95, 93, 96, 92, 104, 103, 105, 108, 102]                   # ageing factor, %
VILLAGES = [64, 58, 62, 71, 138, 262, 268, 128, 337]                   # villages + communities
COMMUNITIES = [46, 44, 41, 48, 14, 36, 30, 12, 60]                     # urban communities
SPACE_AVG = [905, 880, 860, 940, 640, 690, 610, 560, 720]              # m2 per community
URBAN = [150, 150, 140, 140, 100, 100, 100, 90, 110]                   # urban weight, %

# 2019 totals for Zhuzhou that are the seed figures, or chosen to fit them
TOTALS_2019 = {
    "POP_TOTAL": 4013862,          # 2681 / POP * 10000 -> 6.7
    "POP_60PLUS": 746093,          # 28132 / POP60 * 1000 -> 37.7; 18.6 % of POP_TOTAL
    "BEDS_TOTAL": 28132, "BEDS_NEW": 469, "AGE80_ALLOWANCE": 71386,
    "VILLAGES": 1388,              # 1234 / 1388 * 100 -> 88.9
    "CHILD_HOMES": 1234, "CHILD_DIRECTORS": 1362, "CHILD_SUPERVISORS": 105,
    "SO_GROUPS": 1123, "SO_PRIVATE_NONPROFIT": 1549, "SO_FOUNDATIONS": 9,
    "SO_RATED_3A": 14, "SOCIAL_WORKERS": 666,
    "COMMUNITIES": 331, "COMMUNITY_SPACE": 254927,   # / 331 -> 770.17
    "COMMUNITY_UPGRADED": 117, "VILLAGE_ELECTIONS": 1379, "VILLAGE_COUNCILS": 104,
    "CEMETERIES_COMMERCIAL": 5, "CEMETERIES_PUBLIC": 6, "FUNERAL_HOMES": 4,
}
EXPLICIT_2019 = {   # small counts, spelled out per county (ORDER)
    "CHILD_SUPERVISORS": [7, 7, 6, 8, 8, 19, 16, 10, 24],
    "SO_FOUNDATIONS": [2, 1, 1, 3, 0, 1, 0, 0, 1],
    "SO_RATED_3A": [2, 2, 1, 3, 1, 2, 1, 0, 2],
    "VILLAGE_ELECTIONS": [64, 58, 62, 71, 138, 259, 264, 126, 337],
    "CEMETERIES_COMMERCIAL": [0, 0, 1, 1, 0, 1, 0, 0, 2],
    "CEMETERIES_PUBLIC": [0, 0, 0, 0, 1, 1, 1, 1, 2],
    "FUNERAL_HOMES": [0, 0, 1, 0, 0, 1, 1, 0, 1],
    "VILLAGES": VILLAGES, "COMMUNITIES": COMMUNITIES,
}
# a year earlier each county had 1000/(1000+g) of its value: (g for 2019, g for 2018)
GROWTH = {
    "POP_TOTAL": (3, 4), "POP_60PLUS": (31, 34), "BEDS_TOTAL": (52, 61), "BEDS_NEW": (-80, 120),
    "AGE80_ALLOWANCE": (45, 40), "VILLAGES": (0, 0), "CHILD_HOMES": (260, 400),
    "CHILD_DIRECTORS": (15, 20), "CHILD_SUPERVISORS": (0, 0), "SO_GROUPS": (48, 52),
    "SO_PRIVATE_NONPROFIT": (71, 66), "SO_FOUNDATIONS": (0, 0), "SO_RATED_3A": (167, 200),
    "SOCIAL_WORKERS": (183, 210), "COMMUNITIES": (0, 0), "COMMUNITY_SPACE": (55, 60),
    "COMMUNITY_UPGRADED": (90, 110), "VILLAGE_ELECTIONS": (0, 0), "VILLAGE_COUNCILS": (350, 500),
    "CEMETERIES_COMMERCIAL": (0, 0), "CEMETERIES_PUBLIC": (0, 0), "FUNERAL_HOMES": (0, 0),
}
# submitted by the prefecture only: (value as written, UNIT_MULT) per year
PREFECTURE_ONLY = {
    "LOTTERY_SALES": {2017: ("2.96", 8), 2018: ("3.21", 8), 2019: ("3.48", 8)},
    "LOTTERY_FUND": {2017: ("0.86", 8), 2018: ("0.93", 8), 2019: ("1.01", 8)},
    "CHARITY_RAISED": {2017: ("612", 4), 2018: ("655", 4), 2019: ("699", 4)},
    "PRICE_SUBSIDY": {2017: ("298", 4), 2018: ("352", 4), 2019: ("1265", 4)},
    "BACKSTOP_PERSONS": {2017: ("3.5", 4), 2018: ("3.9", 4), 2019: ("4.2", 4)},
}
# yuan per person-month, (urban, rural), as the province reports them
DIBAO_STD = {
    "430100": {2017: (650, 410), 2018: (685, 440), 2019: (730, 470)},
    "430200": {2017: (560, 310), 2018: (600, 328), 2019: (640, 392)},
    "430300": {2017: (580, 345), 2018: (615, 372), 2019: (660, 420)},
    "430400": {2017: (520, 326), 2018: (555, 350), 2019: (600, 380)},
    "430500": {2017: (490, 315), 2018: (525, 338), 2019: (570, 368)},
    "430600": {2017: (540, 338), 2018: (575, 366), 2019: (620, 405)},
    "430700": {2017: (530, 333), 2018: (565, 360), 2019: (610, 398)},
    "430800": {2017: (500, 306), 2018: (535, 325), 2019: (580, 358)},
    "430900": {2017: (510, 322), 2018: (545, 346), 2019: (590, 376)},
    "431000": {2017: (535, 330), 2018: (570, 355), 2019: (615, 385)},
    "431100": {2017: (495, 312), 2018: (530, 335), 2019: (575, 365)},
    "431200": {2017: (485, 309), 2018: (520, 332), 2019: (565, 362)},
    "431300": {2017: (505, 318), 2018: (540, 342), 2019: (585, 372)},
    "433100": {2017: (480, 303), 2018: (515, 322), 2019: (560, 355)},
}
STD_RANK_TARGET = {2018: 12, 2019: 5}

REVISED_BEDS_2018 = ("430281", 86)       # first sent 86 beds short, revised in 2020
CORRECTED_BEDS_2019 = ("430202", 100)    # main message 100 too many, corrected same day


def split_total(total: int, weights: list[int]) -> list[int]:
    """Integers proportional to weights that sum to total (largest remainder)."""
    wsum = sum(weights)
    shares = [total * w // wsum for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % wsum), i))
    for i in order[:total - sum(shares)]:
        shares[i] += 1
    return shares


def county_values_2019() -> dict[str, dict[str, int]]:
    pop = split_total(TOTALS_2019["POP_TOTAL"], POP_WEIGHTS)
    pop60 = split_total(TOTALS_2019["POP_60PLUS"], [p * a for p, a in zip(pop, OLD_AGE)])
    rural = [v - c for v, c in zip(VILLAGES, COMMUNITIES)]
    weights = {
        "BEDS_TOTAL": [p * u for p, u in zip(pop60, URBAN)],
        "BEDS_NEW": [30, 20, 20, 30, 10, 10, 8, 5, 15],
        "AGE80_ALLOWANCE": pop60,
        "CHILD_HOMES": VILLAGES, "CHILD_DIRECTORS": VILLAGES,
        "SO_GROUPS": [p * u for p, u in zip(pop, URBAN)],
        "SO_PRIVATE_NONPROFIT": [p * u * u for p, u in zip(pop, URBAN)],
        "SOCIAL_WORKERS": [p * u * u * u for p, u in zip(pop, URBAN)],
        "COMMUNITY_SPACE": [c * a for c, a in zip(COMMUNITIES, SPACE_AVG)],
        "COMMUNITY_UPGRADED": COMMUNITIES, "VILLAGE_COUNCILS": rural,
    }
    columns = {"POP_TOTAL": pop, "POP_60PLUS": pop60, **EXPLICIT_2019}
    for ind, w in weights.items():
        columns[ind] = split_total(TOTALS_2019[ind], w)
    for ind, col in columns.items():
        assert sum(col) == TOTALS_2019[ind], ind
    return {county: {ind: col[i] for ind, col in columns.items()} for i, county in enumerate(ORDER)}


def submission_values() -> dict[int, dict[str, dict[str, int]]]:
    """County values of every county-submitted indicator; 2017 under 430221."""
    values = {2019: county_values_2019()}
    for year in (2018, 2017):
        later = values[year + 1]
        k = 0 if year == 2018 else 1
        values[year] = {
            county: {ind: (v * 1000 * 2 + (1000 + GROWTH[ind][k])) // (2 * (1000 + GROWTH[ind][k]))
                     for ind, v in later[county].items()}
            for county in later}
    values[2017]["430221"] = values[2017].pop("430212")
    for year, by_county in values.items():
        for county, v in by_county.items():
            check_plausible(year, county, v)
    return values


def check_plausible(year: int, county: str, v: dict[str, int]) -> None:
    assert v["CHILD_HOMES"] <= v["VILLAGES"] and v["CHILD_DIRECTORS"] <= v["VILLAGES"]
    assert v["VILLAGE_ELECTIONS"] <= v["VILLAGES"] and v["COMMUNITIES"] <= v["VILLAGES"]
    assert v["COMMUNITY_UPGRADED"] <= v["COMMUNITIES"]
    assert v["VILLAGE_COUNCILS"] <= v["VILLAGES"] - v["COMMUNITIES"]
    assert v["BEDS_NEW"] <= v["BEDS_TOTAL"]
    assert v["AGE80_ALLOWANCE"] < v["POP_60PLUS"] < v["POP_TOTAL"] * 25 // 100, (year, county)


def check_submission_targets(values, rosters_2019) -> None:
    s = {ind: sum(v[ind] for v in values[2019].values()) for ind in TOTALS_2019}
    F = Fraction
    assert s == TOTALS_2019
    assert round_half_away(F(s["BEDS_TOTAL"], s["POP_60PLUS"]) * 1000, 1) == Decimal("37.7")
    assert round_half_away(F(s["CHILD_HOMES"], s["VILLAGES"]) * 100, 1) == Decimal("88.9")
    so = s["SO_GROUPS"] + s["SO_PRIVATE_NONPROFIT"] + s["SO_FOUNDATIONS"]
    assert so == 2681
    assert round_half_away(F(so, s["POP_TOTAL"]) * 10000, 1) == Decimal("6.7")
    assert round_half_away(F(s["COMMUNITY_SPACE"], s["COMMUNITIES"])) == 770
    assert 18 <= 100 * s["POP_60PLUS"] // s["POP_TOTAL"] < 20
    persons = sum(t["DIBAO_PERSONS_U"] + t["DIBAO_PERSONS_R"] for t in rosters_2019.values())
    assert persons * 100 < 15 * s["POP_TOTAL"]
    for year, want in STD_RANK_TARGET.items():
        rural = sorted((std[year][1] for std in DIBAO_STD.values()), reverse=True)
        zz = DIBAO_STD[ZHUZHOU][year][1]
        assert rural.count(zz) == 1 and rural.index(zz) + 1 == want, (year, rural)


# --------------------------------------------------------------------------
# SDMX-ML 2.1 data messages
# --------------------------------------------------------------------------

NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    "generic": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
    "ss": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "dsd": "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure="
           "HNMZ:DSD_YEARBOOK(1.0):ObsLevelDim:TIME_PERIOD",
}
STD_PREFIXES = {"message": "message", "common": "common", "generic": "generic",
                "ss": "data", "dsd": "ns1"}


@dataclass
class Obs:
    period: int
    value: str                    # as written: "3.48", "NaN"
    attrs: dict[str, str] = field(default_factory=dict)


@dataclass
class Series:
    area: str
    indicator: str
    attrs: dict[str, str]
    obs: list[Obs]


@dataclass
class Message:
    name: str                     # file name in <year>/submissions/
    sender: str
    sender_name: str
    prepared: str
    form: str                     # "generic" or "ss"
    series: list[Series]
    prefixes: dict[str, str] = field(default_factory=lambda: dict(STD_PREFIXES))
    gz: bool = False


def scaled(value: int, mult: int) -> str:
    """The base-unit integer written at 10**mult, plain decimal, no trailing zeros."""
    text = format(Decimal(value).scaleb(-mult), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def header_xml(m: Message, structure: str, year: int) -> list[str]:
    p = m.prefixes
    msg, com = p["message"], p["common"]
    ss_ns = f' namespace="{NS["dsd"]}"' if m.form == "ss" else ""
    ref = ("<{c}:Structure><Ref agencyID=\"HNMZ\" id=\"DSD_YEARBOOK\" version=\"1.0\"/></{c}:Structure>"
           if m.form == "ss" or structure == "dsd" else
           "<{c}:StructureUsage><Ref agencyID=\"HNMZ\" id=\"DF_YEARBOOK\" version=\"1.0\"/></{c}:StructureUsage>")
    return [
        f"  <{msg}:Header>",
        f"    <{msg}:ID>HNMZ-{m.name.split('.')[0]}</{msg}:ID>",
        f"    <{msg}:Test>false</{msg}:Test>",
        f"    <{msg}:Prepared>{m.prepared}</{msg}:Prepared>",
        f"    <{msg}:Sender id=\"{m.sender}\">",
        f"      <{com}:Name xml:lang=\"zh\">{esc(m.sender_name)}</{com}:Name>",
        f"    </{msg}:Sender>",
        f"    <{msg}:Structure structureID=\"YB\" dimensionAtObservation=\"TIME_PERIOD\"{ss_ns}>",
        "      " + ref.format(c=com),
        f"    </{msg}:Structure>",
        f"    <{msg}:DataSetID>YEARBOOK_{year}</{msg}:DataSetID>",
        f"  </{msg}:Header>",
    ]


def message_xml(m: Message, year: int) -> bytes:
    p = m.prefixes
    msg = p["message"]
    if m.form == "generic":
        root = "GenericData"
        xmlns = {msg: NS["message"], p["common"]: NS["common"], p["generic"]: NS["generic"],
                 "xsi": NS["xsi"]}
    else:
        root = "StructureSpecificData"
        xmlns = {msg: NS["message"], p["common"]: NS["common"], p["ss"]: NS["ss"],
                 p["dsd"]: NS["dsd"], "xsi": NS["xsi"]}
    decl = " ".join(f'xmlns:{k}="{v}"' for k, v in xmlns.items())
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f"<{msg}:{root} {decl}>"]
    out += header_xml(m, "dsd" if m.sender.endswith("0000") else "flow", year)
    if m.form == "generic":
        out.append(f'  <{msg}:DataSet structureRef="YB" action="Information">')
        out += generic_series_xml(m)
    else:
        ss, dsd = p["ss"], p["dsd"]
        out.append(f'  <{msg}:DataSet {ss}:structureRef="YB" {ss}:dataScope="DataStructure" '
                   f'xsi:type="{dsd}:DataSetType" {ss}:action="Information">')
        out += ss_series_xml(m)
    out += [f"  </{msg}:DataSet>", f"</{msg}:{root}>"]
    return ("\n".join(out) + "\n").encode("utf-8")


def generic_series_xml(m: Message) -> list[str]:
    g = m.prefixes["generic"]
    out = []
    for s in m.series:
        out += [f"    <{g}:Series>", f"      <{g}:SeriesKey>",
                f'        <{g}:Value id="FREQ" value="A"/>',
                f'        <{g}:Value id="REF_AREA" value="{s.area}"/>',
                f'        <{g}:Value id="INDICATOR" value="{s.indicator}"/>',
                f"      </{g}:SeriesKey>"]
        if s.attrs:
            out.append(f"      <{g}:Attributes>")
            out += [f'        <{g}:Value id="{k}" value="{v}"/>' for k, v in s.attrs.items()]
            out.append(f"      </{g}:Attributes>")
        for i, o in enumerate(s.obs):
            # both spellings of the observation dimension occur in real messages
            dim_id = ' id="TIME_PERIOD"' if (len(s.indicator) + i) % 2 else ""
            out += [f"      <{g}:Obs>", f'        <{g}:ObsDimension{dim_id} value="{o.period}"/>',
                    f'        <{g}:ObsValue value="{o.value}"/>']
            if o.attrs:
                out.append(f"        <{g}:Attributes>")
                out += [f'          <{g}:Value id="{k}" value="{v}"/>' for k, v in o.attrs.items()]
                out.append(f"        </{g}:Attributes>")
            out.append(f"      </{g}:Obs>")
        out.append(f"    </{g}:Series>")
    return out


def ss_series_xml(m: Message) -> list[str]:
    out = []
    for s in m.series:
        attrs = "".join(f' {k}="{v}"' for k, v in s.attrs.items())
        out.append(f'    <Series FREQ="A" REF_AREA="{s.area}" INDICATOR="{s.indicator}"{attrs}>')
        for o in s.obs:
            oattrs = "".join(f' {k}="{v}"' for k, v in o.attrs.items())
            out.append(f'      <Obs TIME_PERIOD="{o.period}" OBS_VALUE="{o.value}"{oattrs}/>')
        out.append("    </Series>")
    return out


# How each county submits: form, namespace prefixes, time-zone style of Prepared
SUBMITTER = {
    "430202": ("generic", {}, "+08"),
    "430203": ("ss", {}, "Z"),
    "430204": ("generic", {"message": "m", "common": "c", "generic": "g"}, "+08"),
    "430211": ("ss", {"message": "msg", "common": "cmn", "ss": "str", "dsd": "yb"}, "naive"),
    "430212": ("generic", {}, "+08"),
    "430221": ("generic", {}, "+08"),
    "430223": ("ss", {}, "+08"),
    "430224": ("generic", {"message": "mes", "common": "com", "generic": "gen"}, "+08"),
    "430225": ("ss", {}, "frac"),
    "430281": ("ss", {"message": "m", "common": "c", "ss": "s", "dsd": "u"}, "+08"),
}
POP_IN_WAN = {"430223", "430281"}     # these counties report population in 万 (UNIT_MULT 4)


def prepared(year: int, day: int, hour: int, minute: int, style: str) -> str:
    """A Prepared time in January of year+1 (local time is UTC+8)."""
    if style == "Z":
        return f"{year + 1}-01-{day:02d}T{hour - 8:02d}:{minute:02d}:00Z"
    if style == "naive":          # no time zone: UTC by the contract
        return f"{year + 1}-01-{day:02d}T{hour - 8:02d}:{minute:02d}:00"
    if style == "frac":
        return f"{year + 1}-01-{day:02d}T{hour:02d}:{minute:02d}:12.250+08:00"
    return f"{year + 1}-01-{day:02d}T{hour:02d}:{minute:02d}:00+08:00"


def county_message(year: int, county: str, values: dict[str, int],
                   rosters: dict[str, dict[str, int]]) -> Message:
    form, prefixes, tz = SUBMITTER[county]
    i = ORDER.index(profile(county))
    series = []
    for ind, value in values.items():
        if (year, county, ind) == (2018, "430212", "VILLAGE_COUNCILS"):
            continue      # sent under the retired code 430221 instead (see late_retired_code)
        mult = 4 if ind in ("POP_TOTAL", "POP_60PLUS") and county in POP_IN_WAN else 0
        sattrs, oattrs = {"UNIT_MULT": str(mult)}, {}
        if (year, county, ind) == (2018, "430281", "BEDS_TOTAL"):
            value -= REVISED_BEDS_2018[1]
        if (year, county, ind) == (2019, "430202", "BEDS_TOTAL"):
            value += CORRECTED_BEDS_2019[1]
        text = scaled(value, mult)
        tweak = (year, county, ind)
        if tweak == (2019, "430223", "BEDS_NEW"):
            oattrs["OBS_STATUS"] = "P"
        elif tweak == (2019, "430224", "VILLAGE_COUNCILS"):
            sattrs["OBS_STATUS"] = "P"
        elif tweak == (2019, "430225", "COMMUNITY_SPACE"):
            oattrs["OBS_STATUS"] = "E"
        elif tweak == (2019, "430281", "COMMUNITY_SPACE"):
            oattrs["UNIT_MULT"] = "4"                    # obs wins over the series' 0
            text = scaled(value, 4)
        elif tweak == (2019, "430281", "SOCIAL_WORKERS"):
            sattrs["OBS_STATUS"], oattrs["OBS_STATUS"] = "P", "A"   # obs wins: A
        elif tweak == (2019, "430202", "POP_60PLUS"):
            sattrs["UNIT_MULT"], oattrs["UNIT_MULT"] = "4", "0"      # obs wins: 0
        elif tweak == (2018, "430225", "AGE80_ALLOWANCE"):
            text, oattrs["OBS_STATUS"] = "NaN", "M"
        series.append(Series(county, ind, sattrs, [Obs(year, text, oattrs)]))
    std = DIBAO_STD[ZHUZHOU][year]
    cut = 0 if profile(county) in DISTRICTS else 40      # counties: lower urban standard
    series.append(Series(county, "DIBAO_STD_U", {"UNIT_MULT": "0"}, [Obs(year, str(std[0] - cut))]))
    series.append(Series(county, "DIBAO_STD_R", {"UNIT_MULT": "0"}, [Obs(year, str(std[1]))]))
    if year == 2019 and county == "430281":   # off by 150: reconciliation warning
        series.append(Series(county, "DIBAO_PERSONS_U", {"UNIT_MULT": "0"},
                             [Obs(year, str(rosters[county]["DIBAO_PERSONS_U"] + 150))]))
    if year == 2019 and county == "430223":   # agrees with the roster: no warning
        series.append(Series(county, "TEKUN_PERSONS_R", {"UNIT_MULT": "0"},
                             [Obs(year, str(rosters[county]["TEKUN_PERSONS_R"]))]))
    day, hour = 8 + i, 9 + i % 8
    when = prepared(year, day, hour, 5 * i, tz)
    if (year, county) == (2019, "430202"):
        when = "2020-01-14T17:00:00+08:00"          # 09:00 UTC; corrected at 10:30 UTC
    return Message(f"{county}_{year}.xml", county, SENDER_NAME[county], when, form,
                   series, {**STD_PREFIXES, **prefixes}, gz=(county == "430224" and year == 2019))


def prefecture_message(year: int, values: dict[str, dict[str, int]]) -> Message:
    series = [Series(ZHUZHOU, ind, {"UNIT_MULT": str(by_year[year][1])},
                     [Obs(year, by_year[year][0])])
              for ind, by_year in PREFECTURE_ONLY.items()]
    if year == 2019:
        pop = sum(v["POP_TOTAL"] for v in values.values())
        series.append(Series(ZHUZHOU, "POP_TOTAL", {"UNIT_MULT": "4"}, [Obs(year, scaled(pop, 4))]))
        series.append(Series(ZHUZHOU, "SOCIAL_WORKERS", {"UNIT_MULT": "0"}, [Obs(year, "680")]))
    form = "ss" if year == 2019 else "generic"
    return Message(f"{ZHUZHOU}_{year}.xml", ZHUZHOU, "株洲市民政局",
                   f"{year + 1}-01-28T16:40:00+08:00", form, series)


def province_message(year: int) -> Message:
    """DIBAO_STD_U/R of all 14 prefectures; the 2019 message repeats 2018 unchanged."""
    periods = [year - 1, year] if year == 2019 else [year]
    series = [Series(code, ind, {"UNIT_MULT": "0"},
                     [Obs(p, str(DIBAO_STD[code][p][k])) for p in periods])
              for code, _, _ in PREFECTURES
              for k, ind in enumerate(("DIBAO_STD_U", "DIBAO_STD_R"))]
    form = "generic" if year == 2019 else "ss"
    return Message(f"430000_dibao_std_{year}.xml", "430000", "湖南省民政厅",
                   f"{year + 1}-02-20T10:00:00+08:00", form, series, gz=(year == 2018))


def late_retired_code(values: dict[str, dict[str, int]]) -> Message:
    """2018: the old 株洲县 system still sends one indicator under 430221."""
    v = values["430212"]["VILLAGE_COUNCILS"]
    return Message("430221_2018_late.xml", "430221", "株洲县民政局", "2019-01-30T11:20:00+08:00",
                   "ss", [Series("430221", "VILLAGE_COUNCILS", {"UNIT_MULT": "0"}, [Obs(2018, str(v))])])


def revision_2018(values_2018: dict[str, dict[str, int]]) -> Message:
    county = REVISED_BEDS_2018[0]
    v = values_2018[county]["BEDS_TOTAL"]
    return Message(f"{county}_2018_revision.xml", county, SENDER_NAME[county],
                   "2020-01-06T15:00:00+08:00", "generic",
                   [Series(county, "BEDS_TOTAL", {"UNIT_MULT": "0"}, [Obs(2018, str(v))])])


def correction_2019(values: dict[str, dict[str, int]]) -> Message:
    county = CORRECTED_BEDS_2019[0]
    return Message(f"{county}_2019_correction.xml", county, SENDER_NAME[county],
                   "2020-01-14T10:30:00", "ss",         # no zone = UTC: later than 17:00+08:00
                   [Series(county, "BEDS_TOTAL", {"UNIT_MULT": "0"},
                           [Obs(2019, str(values[county]["BEDS_TOTAL"]))])])


def build_submissions(year: int, values, all_values, rosters) -> dict[str, bytes]:
    messages = [county_message(year, c, values[c], rosters) for c in counties_valid(year)]
    messages += [prefecture_message(year, values), province_message(year)]
    if year == 2018:
        messages.append(late_retired_code(values))
    if year == 2019:
        messages += [revision_2018(all_values[2018]), correction_2019(values)]
    files = {}
    for m in messages:
        data = message_xml(m, year)
        path = f"{year}/submissions/{m.name}"
        files[path + ".gz" if m.gz else path] = gzip_member(data) if m.gz else data
    return files


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def write_tree(files: dict[str, bytes]) -> None:
    assert OUT.name == "input" and OUT.parent.name == "samples"
    if OUT.exists():
        shutil.rmtree(OUT)
    for path in sorted(files):
        target = OUT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(files[path])


def print_manifest(manifest: Manifest) -> None:
    print("rejected rows (file, line, reason):")
    for path, line, reason in manifest.rejects:
        print(f"  {path}:{line}  {reason}")
    print("mess (file: kind -> first lines, count):")
    for (path, kind), lines in sorted(manifest.lines.items()):
        if kind != "inactive":
            print(f"  {path}: {kind} -> {lines[:3]} ({len(lines)})")
    inactive = {}
    for (path, kind), lines in manifest.lines.items():
        if kind == "inactive":
            inactive[path] = len(lines)
    print(f"  inactive rows in {len(inactive)} files, {sum(inactive.values())} in all")


def main() -> None:
    manifest = Manifest()
    files = {"areas.csv": areas_csv()}
    rosters = {}
    for year in YEARS:
        roster_files, rosters[year] = build_rosters(year, manifest)
        files.update(roster_files)
    values = submission_values()
    check_submission_targets(values, rosters[2019])
    for year in YEARS:
        files.update(build_submissions(year, values[year], values, rosters[year]))
    write_tree(files)
    total = sum(len(b) for b in files.values())
    assert total < 8 * 1024 * 1024, total
    print_manifest(manifest)
    print(f"wrote {len(files)} files, {total} bytes, under {OUT}")


if __name__ == "__main__":
    sys.exit(main())
