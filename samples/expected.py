#!/usr/bin/env python3
"""Second, independent check of samples/input against the data contract.

Shares nothing with generate.py: it reads the tree as the pipeline must
(gunzip every member, BOM / UTF-8 / GB18030, RFC 4180, aliases, row rules,
successions, SDMX of both forms, latest Prepared wins, roll-up to 430200,
exact fractions, rounding half away from zero) and prints every seed figure
of 2019 with OK/FAIL, the DIBAO_STD_R ranks, the 2018 figures, the warnings
the pipeline should raise, and per-file roster counts. Exit 1 on any FAIL.

Run: python3 samples/expected.py
"""
import csv
import gzip
import io
import re
import sys
import xml.etree.ElementTree as ET
import zlib
from datetime import datetime, timezone
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

INPUT = Path(__file__).resolve().parent / "input"
ZZ, PROVINCE = "430200", "430000"

# spec/seed-figures.csv: indicator, published, tolerance (430200, 2019)
SEED = [
    ("DIBAO_PC_U", "374", 0), ("DIBAO_PC_R", "223", 0),
    ("DIBAO_PERSONS_U+DIBAO_PERSONS_R", "102000", 1000),
    ("TEKUN_PC_U", "7987", 0), ("TEKUN_PC_R", "7314", 0),
    ("TEKUN_PERSONS_U+TEKUN_PERSONS_R", "18100", 100),
    ("BACKSTOP_PERSONS", "42000", 0), ("PRICE_SUBSIDY", "12650000", 0),
    ("BEDS_TOTAL", "28132", 0), ("BEDS_PER_1000", "37.7", 0), ("BEDS_NEW", "469", 0),
    ("CHILD_HOMES", "1234", 0), ("CHILD_HOME_COVERAGE", "88.9", 0),
    ("CHILD_SUPERVISORS", "105", 0), ("CHILD_DIRECTORS", "1362", 0),
    ("SO_GROUPS", "1123", 0), ("SO_PRIVATE_NONPROFIT", "1549", 0), ("SO_FOUNDATIONS", "9", 0),
    ("SO_TOTAL", "2681", 0), ("SO_PER_10K", "6.7", 0), ("SO_RATED_3A", "14", 0),
    ("SOCIAL_WORKERS", "666", 0), ("COMMUNITY_UPGRADED", "117", 0),
    ("COMMUNITY_SPACE_AVG", "770", 0), ("VILLAGE_ELECTIONS", "1379", 0),
    ("VILLAGE_COUNCILS", "104", 0), ("LOTTERY_SALES", "348000000", 0),
    ("LOTTERY_FUND", "101000000", 0), ("CHARITY_RAISED", "6990000", 0),
    ("CEMETERIES_COMMERCIAL", "5", 0), ("CEMETERIES_PUBLIC", "6", 0), ("FUNERAL_HOMES", "4", 0),
]
RANK_SEED = {2019: 5, 2018: 12}
ONE_DECIMAL = {"BEDS_PER_1000", "CHILD_HOME_COVERAGE", "SO_PER_10K"}
NON_ADDITIVE = {"DIBAO_STD_U", "DIBAO_STD_R"}
DERIVED = {   # indicators.csv formulas, in dependency order: operands, exact value
    "DIBAO_PC_U": (("DIBAO_AMOUNT_U", "DIBAO_PERSONS_U"), lambda a, b: a / b),
    "DIBAO_PC_R": (("DIBAO_AMOUNT_R", "DIBAO_PERSONS_R"), lambda a, b: a / b),
    "TEKUN_PC_U": (("TEKUN_AMOUNT_U", "TEKUN_PERSONS_U"), lambda a, b: a / b),
    "TEKUN_PC_R": (("TEKUN_AMOUNT_R", "TEKUN_PERSONS_R"), lambda a, b: a / b),
    "BEDS_PER_1000": (("BEDS_TOTAL", "POP_60PLUS"), lambda a, b: a / b * 1000),
    "CHILD_HOME_COVERAGE": (("CHILD_HOMES", "VILLAGES"), lambda a, b: a / b * 100),
    "SO_TOTAL": (("SO_GROUPS", "SO_PRIVATE_NONPROFIT", "SO_FOUNDATIONS"), lambda a, b, c: a + b + c),
    "SO_PER_10K": (("SO_TOTAL", "POP_TOTAL"), lambda a, b: a / b * 10000),
    "COMMUNITY_SPACE_AVG": (("COMMUNITY_SPACE", "COMMUNITIES"), lambda a, b: a / b),
}

# ---------------------------------------------------------------- areas
AREAS = {r["code"]: r for r in csv.DictReader(io.StringIO((INPUT / "areas.csv").read_text("utf-8")))}


def valid(code, year):
    a = AREAS[code]
    return (not a["valid_from"] or int(a["valid_from"]) <= year) and \
           (not a["valid_to"] or year <= int(a["valid_to"]))


def children(parent, year):
    return sorted(c for c, a in AREAS.items() if a["parent"] == parent and valid(c, year))


def predecessors(code):
    out = {c for c, a in AREAS.items() if a["successor"] == code}
    for p in list(out):
        out |= predecessors(p)
    return out


def current_code(code, year):
    while AREAS[code]["valid_to"] and year > int(AREAS[code]["valid_to"]) and AREAS[code]["successor"]:
        code = AREAS[code]["successor"]
    return code


# ---------------------------------------------------------------- rosters
ALIASES = {"户编号": "household_id", "人员编号": "person_id", "行政区划代码": "area_code",
           "城乡类别": "category", "保障人数": "members", "月保障金额(元)": "monthly_amount",
           "供养方式": "care_mode", "年供养金额(元)": "annual_amount", "状态": "status"}
CANONICAL = set(ALIASES.values())
CATEGORY = {"u": "U", "城市": "U", "城镇": "U", "urban": "U", "r": "R", "农村": "R", "rural": "R"}
STATUS = {"active": True, "在保": True, "正常": True, "1": True,
          "suspended": False, "停保": False, "暂停": False, "0": False}
CARE = {"c": "C", "集中": "C", "centralized": "C", "d": "D", "分散": "D", "dispersed": "D"}
FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "（": "(", "）": ")"})
AMOUNT = re.compile(r"^(-?)(\d+|\d{1,3}(?:,\d{3})+)(?:\.(\d+))?$")


def clean(text):
    return text.translate(FOLD).strip()


def gunzip_members(raw):
    out, members = b"", 0
    while raw:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += d.decompress(raw)
        if not d.eof:
            raise ValueError("truncated gzip")
        raw, members = d.unused_data, members + 1
    return out, members


def decode(raw):
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8"), "UTF-8 BOM"
    try:
        return raw.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return raw.decode("gb18030"), "GB18030"


def check_row(row, roster, ok_areas, seen):
    """The contract's row rules; returns (reason or None, parsed values)."""
    rid = row.get("household_id" if roster == "dibao" else "person_id", "")
    if not rid:
        return "missing id", None
    if rid in seen:
        return "duplicate id", None
    seen.add(rid)
    if row.get("area_code") not in ok_areas:
        return f"foreign area code {row.get('area_code')}", None
    cat = CATEGORY.get(row.get("category", "").lower())
    if cat is None:
        return "unknown category", None
    active = STATUS.get(row.get("status", "").lower())
    if active is None:
        return "unknown status", None
    parsed = {"category": cat, "active": active}
    if roster == "dibao":
        m = row.get("members", "")
        if not m.isdigit() or int(m) < 1:
            return f"members {m!r}", None
        parsed["members"] = int(m)
    else:
        care = CARE.get(row.get("care_mode", "").lower())
        if care is None:
            return "unknown care mode", None
        parsed["care"] = care
    text = row.get("monthly_amount" if roster == "dibao" else "annual_amount", "")
    if not text:
        return "amount empty", None
    match = AMOUNT.match(text)
    if not match:
        return f"amount non-numeric {text!r}", None
    if match.group(1):
        return "amount negative", None
    if len(match.group(3) or "") > 2:
        return "amount > 2 decimals", None
    parsed["amount"] = Fraction(Decimal(match.group(2).replace(",", "") + "." + (match.group(3) or "0")))
    return None, parsed


def read_roster(path, county, roster, log):
    raw, members = gunzip_members(path.read_bytes())
    text, encoding = decode(raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [clean(h) for h in next(reader)]
    names = [h if h.lower() in CANONICAL else ALIASES.get(h) for h in header]
    names = [n.lower() if n else None for n in names]
    ok_areas = {county} | predecessors(county)
    seen, counts, totals = set(), {"read": 0, "active": 0, "inactive": 0, "rejected": 0}, {}
    prev = reader.line_num
    for record in reader:
        line, prev = prev + 1, reader.line_num
        counts["read"] += 1
        row = {n: clean(v) for n, v in zip(names, record) if n}
        reason, p = check_row(row, roster, ok_areas, seen)
        if reason:
            counts["rejected"] += 1
            log["rejects"].append(f"{path.relative_to(INPUT)}:{line}  {reason}")
            continue
        if not p["active"]:
            counts["inactive"] += 1
            continue
        counts["active"] += 1
        c = p["category"]
        add = lambda k, x: totals.__setitem__(k, totals.get(k, 0) + x)
        if roster == "dibao":
            add(f"DIBAO_HH_{c}", 1), add(f"DIBAO_PERSONS_{c}", p["members"]), add(f"DIBAO_AMOUNT_{c}", p["amount"])
        else:
            add(f"TEKUN_PERSONS_{c}", 1), add(f"TEKUN_AMOUNT_{c}", p["amount"])
            add("TEKUN_CENTRAL", 1 if p["care"] == "C" else 0)
    eol = "CRLF" if "\r\n" in text else "LF"
    log["files"].append(f"{str(path.relative_to(INPUT)):34} {encoding:9} {eol:4} gz×{members} "
                        f"read {counts['read']:6} active {counts['active']:6} "
                        f"inactive {counts['inactive']:4} rejected {counts['rejected']}")
    keys = ([f"DIBAO_{k}_{c}" for k in ("HH", "PERSONS", "AMOUNT") for c in "UR"] if roster == "dibao"
            else [f"TEKUN_{k}_{c}" for k in ("PERSONS", "AMOUNT") for c in "UR"] + ["TEKUN_CENTRAL"])
    return {k: Fraction(totals.get(k, 0)) for k in keys}


# ---------------------------------------------------------------- SDMX
NS_MSG = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
NS_GEN = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic}"
DIMS = {"FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD"}


def read_sdmx(path):
    raw = path.read_bytes()
    root = ET.fromstring(gunzip_members(raw)[0] if path.name.endswith(".gz") else raw)
    when = datetime.fromisoformat(root.find(f"{NS_MSG}Header/{NS_MSG}Prepared").text)
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    for dataset in root.findall(f"{NS_MSG}DataSet"):
        for s in dataset:
            if s.tag == f"{NS_GEN}Series":
                key = {v.get("id"): v.get("value") for v in s.find(f"{NS_GEN}SeriesKey")}
                sattr = {v.get("id"): v.get("value") for v in s.findall(f"{NS_GEN}Attributes/{NS_GEN}Value")}
                for o in s.findall(f"{NS_GEN}Obs"):
                    ov = o.find(f"{NS_GEN}ObsValue")
                    oattr = {v.get("id"): v.get("value") for v in o.findall(f"{NS_GEN}Attributes/{NS_GEN}Value")}
                    yield (key["REF_AREA"], key["INDICATOR"], int(o.find(f"{NS_GEN}ObsDimension").get("value")),
                           None if ov is None else ov.get("value"), {**sattr, **oattr}, when)
            elif s.tag == "Series":
                sattr = {k: v for k, v in s.attrib.items() if k not in DIMS}
                for o in s.findall("Obs"):
                    oattr = {k: v for k, v in o.attrib.items() if k not in DIMS | {"OBS_VALUE"}}
                    yield (s.get("REF_AREA"), s.get("INDICATOR"), int(o.get("TIME_PERIOD")),
                           o.get("OBS_VALUE"), {**sattr, **oattr}, when)


def submissions(year, log):
    """(area, indicator, period) -> (value or None, status), latest Prepared wins."""
    best = {}
    for folder in (year - 1, year):
        for path in sorted((INPUT / str(folder) / "submissions").glob("*.xml*")):
            for area, ind, period, text, attrs, when in read_sdmx(path):
                status = attrs.get("OBS_STATUS")
                missing = status == "M" or text is None or text == "NaN"
                value = None if missing else Fraction(Decimal(text)) * 10 ** int(attrs.get("UNIT_MULT", "0"))
                status = status or ("M" if missing else "A")
                key, new = (area, ind, period), (when, value, status, path.name)
                old = best.get(key)
                if old and old[0] == when and old[1] != value:
                    log["errors"].append(f"conflict {key}: {old[3]} vs {path.name}")
                if not old or when > old[0]:
                    if old and old[1] != value:
                        log["warnings"].append(f"revision {key}: {old[3]} ({old[1]}) -> {path.name} ({value})")
                    best[key] = new
    out = {}
    for (area, ind, period), (_, value, status, name) in sorted(best.items()):
        code = current_code(area, period)
        if code != area:
            log["warnings"].append(f"retired code {area} -> {code} for {ind} {period} ({name})")
        out[code, ind, period] = (value, status)
    return out


# ---------------------------------------------------------------- build
def worst(statuses):
    return "E" if "E" in statuses else "P" if "P" in statuses else "A"


def build(year, log):
    """Values of 430200 (and the prefectures' standards) for year and year-1."""
    sub = submissions(year, log)
    result = {}
    for period in (year - 1, year):
        county = {}
        for c in children(ZZ, period):
            vals = {ind: vs for (a, ind, p), vs in sub.items() if a == c and p == period}
            for roster in ("dibao", "tekun"):
                path = INPUT / str(period) / "exports" / f"{c}_{roster}.csv.gz"
                if path.exists():
                    for ind, v in read_roster(path, c, roster, log if period == year else {"rejects": [], "files": []}).items():
                        if ind in vals and vals[ind][0] is not None and abs(vals[ind][0] - v) > max(5, v / 200):
                            log["warnings"].append(f"reconcile {c} {ind} {period}: roster {v} vs submitted {vals[ind][0]}")
                        vals[ind] = (v, "A")
            county[c] = vals
        zz = {}
        indicators = sorted({ind for vals in county.values() for ind in vals} |
                            {ind for (a, ind, p) in sub if a == ZZ and p == period})
        for ind in indicators:
            own = sub.get((ZZ, ind, period))
            if ind in NON_ADDITIVE:
                if own and own[0] is not None:
                    zz[ind] = own
                continue
            have = [county[c][ind] for c in county if ind in county[c] and county[c][ind][0] is not None]
            if len(have) == len(county):
                total = (sum(v for v, _ in have), worst({s for _, s in have}))
                if own and own[0] is not None and abs(own[0] - total[0]) > max(5, total[0] / 200):
                    log["warnings"].append(f"reconcile {ZZ} {ind} {period}: sum {total[0]} vs submitted {own[0]}")
                zz[ind] = total
            elif not have and own and own[0] is not None:
                zz[ind] = own
            elif have:
                missing = [c for c in county if ind not in county[c] or county[c][ind][0] is None]
                log["warnings"].append(f"{ZZ} {ind} {period}: no value, missing children {missing}")
        for ind, (ops, f) in DERIVED.items():
            if all(op in zz for op in ops):
                try:
                    zz[ind] = (f(*(zz[op][0] for op in ops)), worst({zz[op][1] for op in ops}))
                except ZeroDivisionError:
                    pass
        std = {p: sub[p, "DIBAO_STD_R", period][0] for p in children(PROVINCE, period)
               if (p, "DIBAO_STD_R", period) in sub and sub[p, "DIBAO_STD_R", period][0] is not None}
        result[period] = (zz, std)
    return result


def publish(x, decimals):
    q = abs(x) * 10 ** decimals
    n = int(q) + (1 if q - int(q) >= Fraction(1, 2) else 0)
    return Decimal(n if x >= 0 else -n).scaleb(-decimals)


def seed_value(zz, spec):
    parts = spec.split("+")
    if not all(p in zz for p in parts):
        return None, "-"
    return sum(zz[p][0] for p in parts), worst({zz[p][1] for p in parts})


def rank(std, code):
    mine = publish(std[code], 0)
    return 1 + sum(1 for v in std.values() if publish(v, 0) > mine)


def main():
    failed = False
    log19 = {"rejects": [], "files": [], "warnings": [], "errors": []}
    log18 = {"rejects": [], "files": [], "warnings": [], "errors": []}
    b19, b18 = build(2019, log19), build(2018, log18)
    log17 = {"rejects": [], "files": [], "warnings": [], "errors": []}
    for c in children(ZZ, 2017):
        for roster in ("dibao", "tekun"):
            read_roster(INPUT / "2017" / "exports" / f"{c}_{roster}.csv.gz", c, roster, log17)

    print("== 430200, 2019 (build 2019)  vs seed-figures.csv;  2018 as the 2018 build / the 2019 build sees it")
    for spec, published, tol in SEED:
        dec = 1 if spec in ONE_DECIMAL else 0
        v, status = seed_value(b19[2019][0], spec)
        got = None if v is None else publish(v, dec)
        ok = got is not None and abs(got - Decimal(published)) <= tol
        failed |= not ok
        v18a, _ = seed_value(b18[2018][0], spec)
        v18b, _ = seed_value(b19[2018][0], spec)
        p18 = lambda x: "-" if x is None else str(publish(x, dec))
        exact = "" if v is None or v.denominator == 1 else f" (= {float(v):.4f})"
        print(f"  {'OK  ' if ok else 'FAIL'} {spec:33} {str(got):>10} [{status}] want {published:>9}"
              f"{' ±' + str(tol) if tol else ''}{exact}   2018: {p18(v18a)} / {p18(v18b)}")
    for year, want in RANK_SEED.items():
        std = b19[year][1]
        r = rank(std, ZZ) if ZZ in std else None
        ok = r == want and sum(1 for v in std.values() if publish(v, 0) == publish(std[ZZ], 0)) == 1
        failed |= not ok or len(std) != 14
        print(f"  {'OK  ' if ok else 'FAIL'} DIBAO_STD_R rank {year}: {r} of {len(std)} "
              f"(value {std.get(ZZ)}), want {want}")
    print(f"  rank change 2019: {rank(b19[2018][1], ZZ) - rank(b19[2019][1], ZZ):+d} (seed: +7)")
    for name, log in (("2019", log19), ("2018", log18), ("2017", log17)):
        print(f"== rosters {name}")
        print("\n".join("  " + f for f in log["files"]))
        print(f"  rejected rows ({len(log['rejects'])}):")
        print("\n".join("    " + r for r in log["rejects"]))
    for name, log in (("2019", log19), ("2018", log18)):
        print(f"== warnings of the {name} build")
        print("\n".join("  " + w for w in sorted(set(log["warnings"]))))
        for e in log["errors"]:
            print("  ERROR " + e)
            failed = True
    print("ALL OK" if not failed else "SOME CHECKS FAILED")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
