#!/usr/bin/env python3
"""Writes a synthetic, contract-conformant yearbook input tree for benchmarks.

    python3 Benchmarks/generate.py OUT_DIR --counties N --scale S [--years 2018 2019] [--seed 1]

The tree (spec sections 1-4):

    OUT/areas.csv                                  province 990000, prefectures 99xx00, counties 99xxyy
    OUT/<year>/exports/<county>_dibao.csv.gz       ~7,000 households x scale per county and year
    OUT/<year>/exports/<county>_tekun.csv.gz       ~1,700 persons x scale per county and year
    OUT/<year>/submissions/<prefecture>_<year>.xml SDMX-ML 2.1 StructureSpecificData, one per prefecture

Every code starts with 99, so nothing collides with a real GB/T 2260 code.
A prefecture holds 15 counties, or more when N > 99 x 15 (two digits of
prefecture code allow at most 99 prefectures; 2,850 counties give 29 each).

Rosters are clean, canonical and plain (UTF-8 without BOM, canonical header,
LF, no quotes, amounts like 523.50): what DuckDB, Polars and pandas read as
plain CSV. About 3% of rows are `suspended`. Row counts per county vary
(0.7x-1.3x of the mean, fixed per county and year), and scale multiplies them, so
trees at scales 1, 2 and 4 have the same counties and proportional rows.

Deterministic: the same arguments and seed give the same bytes (gzip level 6,
mtime 0, no file name in the gzip header). Python 3.11 standard library only.
"""
from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import random
import sys
import time

DIBAO_MEAN = 7000
TEKUN_MEAN = 1700
INACTIVE_SHARE = 0.03
PROVINCE = "990000"

DIBAO_HEADER = "household_id,area_code,category,members,monthly_amount,status\n"
TEKUN_HEADER = "person_id,area_code,category,care_mode,annual_amount,status\n"
AREAS_HEADER = "code,name_zh,name_en,level,parent,valid_from,valid_to,successor\n"

DIGITS_ZH = "零一二三四五六七八九"


def layout(counties: int) -> list[tuple[str, list[str]]]:
    """[(prefecture code, [county codes])], all codes six digits and unique."""
    if counties < 1:
        raise SystemExit("--counties must be at least 1")
    if counties > 99 * 99:
        raise SystemExit("--counties is at most 9801 (99 prefectures x 99 counties)")
    per = max(15, -(-counties // 99))
    result = []
    left = counties
    p = 1
    while left > 0:
        n = min(per, left)
        prefecture = f"99{p:02d}00"
        result.append((prefecture, [f"99{p:02d}{c:02d}" for c in range(1, n + 1)]))
        left -= n
        p += 1
    return result


def zh_number(n: int) -> str:
    return "".join(DIGITS_ZH[int(d)] for d in str(n))


def areas_csv(plan: list[tuple[str, list[str]]]) -> bytes:
    lines = [AREAS_HEADER, f"{PROVINCE},基准省,Bench Province,province,,,,\n"]
    for p, (prefecture, counties) in enumerate(plan, start=1):
        lines.append(f"{prefecture},基准{zh_number(p)}市,Bench City {p},prefecture,{PROVINCE},,,\n")
    for p, (prefecture, counties) in enumerate(plan, start=1):
        for c, county in enumerate(counties, start=1):
            lines.append(f"{county},基准{zh_number(p)}市{zh_number(c)}县,Bench County {p}-{c},county,{prefecture},,,\n")
    return "".join(lines).encode("utf-8")


def county_rows(seed: int, year: int, county: str, roster: str, scale: float) -> int:
    """Rows of one file: the county's own size (fixed by seed, county, year) times scale."""
    rng = random.Random(f"size:{seed}:{year}:{county}:{roster}")
    mean = DIBAO_MEAN if roster == "dibao" else TEKUN_MEAN
    return max(1, round(mean * rng.uniform(0.7, 1.3) * scale))


def dibao_csv(rng: random.Random, year: int, county: str, rows: int) -> bytes:
    rand = rng.random
    urban_share = rng.uniform(0.25, 0.55)
    # Allowance per person and month, in cents: urban above rural.
    level_u = rng.randint(42000, 62000) + (year - 2018) * 3000
    level_r = rng.randint(24000, 38000) + (year - 2018) * 2000
    members_table = (1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)
    nm = len(members_table)
    out = [DIBAO_HEADER]
    append = out.append
    base = county + str(year % 100)
    for i in range(1, rows + 1):
        urban = rand() < urban_share
        members = members_table[int(rand() * nm)]
        level = level_u if urban else level_r
        # Whole yuan mostly, sometimes half yuan, sometimes odd cents.
        cents = int(members * level * (0.55 + 0.45 * rand()))
        r = rand()
        if r < 0.6:
            cents -= cents % 100
        elif r < 0.85:
            cents -= cents % 50
        status = "suspended" if rand() < INACTIVE_SHARE else "active"
        append(f"{base}{i:07d},{county},{'U' if urban else 'R'},{members},{cents // 100}.{cents % 100:02d},{status}\n")
    return "".join(out).encode("utf-8")


def tekun_csv(rng: random.Random, year: int, county: str, rows: int) -> bytes:
    rand = rng.random
    urban_share = rng.uniform(0.08, 0.25)
    central_share = rng.uniform(0.15, 0.35)
    level_u = rng.randint(900000, 1300000) + (year - 2018) * 40000   # cents per year
    level_r = rng.randint(550000, 850000) + (year - 2018) * 30000
    out = [TEKUN_HEADER]
    append = out.append
    base = county + str(year % 100)
    for i in range(1, rows + 1):
        urban = rand() < urban_share
        central = rand() < central_share
        level = level_u if urban else level_r
        cents = int(level * (0.8 + 0.4 * rand()) * (1.25 if central else 1.0))
        if rand() < 0.7:
            cents -= cents % 100
        status = "suspended" if rand() < INACTIVE_SHARE else "active"
        append(f"{base}{i:07d},{county},{'U' if urban else 'R'},{'C' if central else 'D'},"
               f"{cents // 100}.{cents % 100:02d},{status}\n")
    return "".join(out).encode("utf-8")


def write_roster(task: tuple) -> tuple[int, int, int]:
    """One export file; returns (rows, uncompressed bytes, compressed bytes)."""
    out_dir, seed, scale, year, county, roster = task
    rows = county_rows(seed, year, county, roster, scale)
    rng = random.Random(f"rows:{seed}:{year}:{county}:{roster}")
    make = dibao_csv if roster == "dibao" else tekun_csv
    raw = make(rng, year, county, rows)
    packed = gzip.compress(raw, compresslevel=6, mtime=0)
    path = os.path.join(out_dir, str(year), "exports", f"{county}_{roster}.csv.gz")
    with open(path + ".tmp", "wb") as f:
        f.write(packed)
    os.replace(path + ".tmp", path)
    return rows, len(raw), len(packed)


def submission_xml(seed: int, year: int, prefecture: str, counties: list[str]) -> bytes:
    """One StructureSpecificData message (the form of samples/input/2019/submissions/430200_2019.xml)."""
    ns1 = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=HNMZ:DSD_YEARBOOK(1.0):ObsLevelDim:TIME_PERIOD"
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<message:StructureSpecificData'
        ' xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"'
        ' xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"'
        ' xmlns:data="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"'
        f' xmlns:ns1="{ns1}"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
        '  <message:Header>',
        f'    <message:ID>BENCH-{prefecture}_{year}</message:ID>',
        '    <message:Test>false</message:Test>',
        f'    <message:Prepared>{year + 1}-01-20T10:00:00+08:00</message:Prepared>',
        f'    <message:Sender id="{prefecture}">',
        '      <common:Name xml:lang="zh">基准市民政局</common:Name>',
        '    </message:Sender>',
        f'    <message:Structure structureID="YB" dimensionAtObservation="TIME_PERIOD" namespace="{ns1}">',
        '      <common:Structure><Ref agencyID="HNMZ" id="DSD_YEARBOOK" version="1.0"/></common:Structure>',
        '    </message:Structure>',
        f'    <message:DataSetID>YEARBOOK_{year}</message:DataSetID>',
        '  </message:Header>',
        '  <message:DataSet data:structureRef="YB" data:dataScope="DataStructure"'
        ' xsi:type="ns1:DataSetType" data:action="Information">',
    ]
    for county in counties:
        rng = random.Random(f"sub:{seed}:{county}")   # county's size, the same both years
        pop60 = rng.randint(40000, 160000) + (year - 2018) * rng.randint(500, 3000)
        beds = int(pop60 * rng.uniform(0.025, 0.045)) + (year - 2018) * rng.randint(50, 400)
        lines += [
            f'    <Series FREQ="A" REF_AREA="{county}" INDICATOR="BEDS_TOTAL" UNIT_MULT="0">',
            f'      <Obs TIME_PERIOD="{year}" OBS_VALUE="{beds}"/>',
            '    </Series>',
            f'    <Series FREQ="A" REF_AREA="{county}" INDICATOR="POP_60PLUS" UNIT_MULT="4">',
            f'      <Obs TIME_PERIOD="{year}" OBS_VALUE="{pop60 // 10000}.{pop60 % 10000:04d}"/>',
            '    </Series>',
        ]
    lines += ['  </message:DataSet>', '</message:StructureSpecificData>', '']
    return "\n".join(lines).encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", metavar="OUT_DIR")
    parser.add_argument("--counties", type=int, default=200)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", type=int, nargs="+", default=[2018, 2019])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if args.scale <= 0:
        raise SystemExit("--scale must be positive")

    started = time.monotonic()
    plan = layout(args.counties)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "areas.csv"), "wb") as f:
        f.write(areas_csv(plan))
    tasks = []
    for year in args.years:
        os.makedirs(os.path.join(args.out, str(year), "exports"), exist_ok=True)
        os.makedirs(os.path.join(args.out, str(year), "submissions"), exist_ok=True)
        for prefecture, counties in plan:
            with open(os.path.join(args.out, str(year), "submissions", f"{prefecture}_{year}.xml"), "wb") as f:
                f.write(submission_xml(args.seed, year, prefecture, counties))
            for county in counties:
                for roster in ("dibao", "tekun"):
                    tasks.append((args.out, args.seed, args.scale, year, county, roster))

    rows = raw = packed = 0
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        for r, u, c in pool.imap_unordered(write_roster, tasks, chunksize=4):
            rows += r
            raw += u
            packed += c
    seconds = time.monotonic() - started
    print(f"generated {args.out}: {args.counties} counties in {len(plan)} prefecture(s), "
          f"years {' '.join(map(str, args.years))}, scale {args.scale:g}, seed {args.seed}")
    print(f"  {len(tasks)} roster files, {rows:,} rows; "
          f"compressed {packed:,} bytes ({packed / 1e6:.1f} MB), "
          f"uncompressed {raw:,} bytes ({raw / 1e6:.1f} MB); {seconds:.1f} s")
    print(f"TOTAL files={len(tasks)} rows={rows} uncompressed={raw} compressed={packed}")


if __name__ == "__main__":
    sys.exit(main())
