#!/usr/bin/env python3
"""The peers of the yearbook benchmark, and the checks of their results.

    peers.py run TOOL TREE RESULT.csv [--years 2018 2019]
        TOOL: duckdb | polars | pandas | csv (Python's csv module, nothing to
        install: the quick run's check). Aggregates the roster exports of the
        years (default 2018 and 2019) of TREE, active rows only, per file
        (county, year, roster) and category: row count, sum of members (dibao),
        sum of amounts as exact decimals. Writes RESULT.csv and prints on
        stderr the seconds spent after the imports ("in-process" time).
    peers.py versions
    peers.py size TREE [--years ...]        uncompressed bytes and files of the roster exports
    peers.py files TREE [--years ...]       the roster exports, NUL separated (for xargs -0)
    peers.py table MEASUREMENTS.tsv UNCOMPRESSED_BYTES
        the summary table from lines "tool<TAB>seconds<TAB>peak_kb<TAB>in_process_s"
    peers.py check TREE OBSERVATIONS.csv RESULT.csv... [--show 990101 990102]
        compares every peer's result with the others and with yearbook's
        county figures in observations.csv; exit 1 on a difference.

Exact decimals: DuckDB reads amounts as DECIMAL(18,2) and sums them exactly;
Polars reads them as pl.Decimal(18, 2); pandas reads them as strings and sums
integer cents (int64) computed from the digits (no float anywhere).
"""
from __future__ import annotations

import csv
import os
import sys
import time
from decimal import Decimal

DIBAO = ["household_id", "area_code", "category", "members", "monthly_amount", "status"]
TEKUN = ["person_id", "area_code", "category", "care_mode", "annual_amount", "status"]


def roster_files(tree: str, years: list[int], roster: str | None = None) -> list[str]:
    files = []
    for year in years:
        folder = os.path.join(tree, str(year), "exports")
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".csv.gz"):
                continue
            if roster is None or name.endswith(f"_{roster}.csv.gz"):
                files.append(os.path.join(folder, name))
    return files


def key_of(path: str) -> tuple[str, str, str]:
    """(year, county, roster) of an export path .../<year>/exports/<county>_<roster>.csv.gz."""
    name = os.path.basename(path)
    county, roster = name[: -len(".csv.gz")].split("_", 1)
    year = os.path.basename(os.path.dirname(os.path.dirname(path)))
    return year, county, roster


# Each returns rows (year, county, roster, category, rows, members, amount as Decimal).

def run_duckdb(tree: str, years: list[int]) -> list[tuple]:
    import duckdb
    con = duckdb.connect()
    out = []
    for roster, columns, members, amount in (
            ("dibao", DIBAO, "sum(members)", "monthly_amount"),
            ("tekun", TEKUN, "0", "annual_amount")):
        files = roster_files(tree, years, roster)
        types = {c: "VARCHAR" for c in columns}
        if roster == "dibao":
            types["members"] = "BIGINT"
        types[amount] = "DECIMAL(18,2)"
        cols = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
        query = (f"SELECT filename, category, count(*), {members}, sum({amount}) "
                 f"FROM read_csv($files, header = true, delim = ',', quote = '\"', columns = {cols}, filename = true) "
                 f"WHERE status = 'active' GROUP BY filename, category")
        for path, category, rows, mem, total in con.execute(query, {"files": files}).fetchall():
            out.append((*key_of(path), category, int(rows), int(mem), Decimal(total)))
    return out


def run_polars(tree: str, years: list[int]) -> list[tuple]:
    import polars as pl
    frames = []
    for roster, columns, amount in (("dibao", DIBAO, "monthly_amount"), ("tekun", TEKUN, "annual_amount")):
        schema = {c: pl.String for c in columns}
        if roster == "dibao":
            schema["members"] = pl.Int64
        schema[amount] = pl.Decimal(18, 2)
        lazy = (pl.scan_csv(roster_files(tree, years, roster), schema=schema, include_file_paths="path")
                .filter(pl.col("status") == "active")
                .group_by("path", "category")
                .agg(pl.len().alias("rows"),
                     (pl.col("members").sum() if roster == "dibao" else pl.lit(0, pl.Int64)).alias("members"),
                     pl.col(amount).sum().alias("amount")))
        frames.append(lazy)
    out = []
    for frame in pl.collect_all(frames):
        for path, category, rows, mem, total in frame.iter_rows():
            out.append((*key_of(path), category, int(rows), int(mem), Decimal(total)))
    return out


def run_pandas(tree: str, years: list[int]) -> list[tuple]:
    import pandas as pd
    out = []
    for roster, columns, amount in (("dibao", DIBAO, "monthly_amount"), ("tekun", TEKUN, "annual_amount")):
        dtypes = {c: str for c in columns}
        if roster == "dibao":
            dtypes["members"] = "int64"
        for path in roster_files(tree, years, roster):
            df = pd.read_csv(path, dtype=dtypes, compression="gzip")
            df = df[df["status"] == "active"]
            # Exact: integer cents from the digits, "523.5" and "523" too.
            parts = df[amount].str.partition(".")
            cents = parts[0].astype("int64") * 100 + parts[2].str.pad(2, side="right", fillchar="0").astype("int64")
            frame = pd.DataFrame({"category": df["category"], "cents": cents,
                                  "members": df["members"] if roster == "dibao" else 0})
            groups = frame.groupby("category", sort=True).agg(rows=("cents", "size"), members=("members", "sum"),
                                                             cents=("cents", "sum"))
            for category, row in groups.iterrows():
                out.append((*key_of(path), category, int(row["rows"]), int(row["members"]),
                            Decimal(int(row["cents"])).scaleb(-2)))
    return out


def run_csv(tree: str, years: list[int]) -> list[tuple]:
    """Python's own csv and gzip modules with Decimal: slow, but it needs
    nothing installed, so the quick run (CI) can check yearbook's figures."""
    import gzip
    out = []
    for roster, amount in (("dibao", "monthly_amount"), ("tekun", "annual_amount")):
        for path in roster_files(tree, years, roster):
            groups: dict[str, list] = {}
            with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    if r["status"] != "active":
                        continue
                    g = groups.setdefault(r["category"], [0, 0, Decimal(0)])
                    g[0] += 1
                    g[1] += int(r["members"]) if roster == "dibao" else 0
                    g[2] += Decimal(r[amount])
            for category in sorted(groups):
                rows, members, total = groups[category]
                out.append((*key_of(path), category, rows, members, total))
    return out


RUNNERS = {"duckdb": run_duckdb, "polars": run_polars, "pandas": run_pandas, "csv": run_csv}


def write_result(path: str, rows: list[tuple]) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["year", "county", "roster", "category", "rows", "members", "amount"])
        for r in sorted(rows):
            w.writerow([*r[:6], f"{r[6]:.2f}"])


def read_result(path: str) -> dict[tuple, tuple[int, int, Decimal]]:
    with open(path, newline="") as f:
        return {(r["year"], r["county"], r["roster"], r["category"]):
                (int(r["rows"]), int(r["members"]), Decimal(r["amount"])) for r in csv.DictReader(f)}


def isize(path: str) -> int:
    """Uncompressed size from the gzip trailer (exact for single-member files < 4 GiB)."""
    with open(path, "rb") as f:
        f.seek(-4, os.SEEK_END)
        return int.from_bytes(f.read(4), "little")


def check(tree: str, observations: str, results: list[str], years: list[int], show: list[str]) -> int:
    peers = {os.path.basename(p).split(".")[0]: read_result(p) for p in results}
    expected_keys = set()
    for path in roster_files(tree, years):
        year, county, roster = key_of(path)
        for category in ("U", "R"):
            expected_keys.add((year, county, roster, category))
    zero = (0, 0, Decimal(0))
    ok = True
    names = sorted(peers)
    for name in names[1:]:
        diffs = [k for k in expected_keys | set(peers[name]) | set(peers[names[0]])
                 if peers[name].get(k, zero) != peers[names[0]].get(k, zero)]
        if diffs:
            ok = False
            k = sorted(diffs)[0]
            print(f"peers DISAGREE: {name} vs {names[0]} on {len(diffs)} groups, e.g. {k}: "
                  f"{peers[name].get(k, zero)} vs {peers[names[0]].get(k, zero)}")
    # yearbook's county figures: indicator -> (roster, category, field)
    mapping = {}
    for cat in ("U", "R"):
        mapping[f"DIBAO_HH_{cat}"] = ("dibao", cat, 0)
        mapping[f"DIBAO_PERSONS_{cat}"] = ("dibao", cat, 1)
        mapping[f"DIBAO_AMOUNT_{cat}"] = ("dibao", cat, 2)
        mapping[f"TEKUN_PERSONS_{cat}"] = ("tekun", cat, 0)
        mapping[f"TEKUN_AMOUNT_{cat}"] = ("tekun", cat, 2)
    counties = {k[1] for k in expected_keys}
    yearbook = {}
    with open(observations, newline="") as f:
        for r in csv.DictReader(f):
            if r["area_code"] in counties and r["indicator"] in mapping:
                yearbook[(r["area_code"], r["indicator"], r["period"])] = (r["value"], r["source"])
    reference = peers[names[0]]
    compared = mismatched = 0
    for (year, county, roster, category) in sorted(expected_keys):
        for indicator, (ros, cat, field) in mapping.items():
            if ros != roster or cat != category:
                continue
            want = reference.get((year, county, roster, category), zero)[field]
            got = yearbook.get((county, indicator, year))
            compared += 1
            if got is None or got[0] == "" or Decimal(got[0]) != Decimal(want) or got[1] != roster:
                mismatched += 1
                if mismatched <= 5:
                    print(f"  yearbook {county} {indicator} {year}: {got} but {names[0]} says {want}")
            if county in show and year == str(max(years)):
                print(f"  {county} {indicator:<16} {year}: yearbook {got[0] if got else '-':>14}  "
                      + "  ".join(f"{n} {peers[n].get((year, county, roster, category), zero)[field]}" for n in names))
    if mismatched:
        ok = False
        print(f"yearbook DISAGREES with {names[0]} on {mismatched} of {compared} county figures")
    print(f"CHECK {'AGREE' if ok else 'DISAGREE'}: {', '.join(names)} and yearbook's observations.csv "
          f"on {compared} county figures ({len(counties)} counties x {len(years)} years x 10 roster indicators)")
    return 0 if ok else 1


def median(values: list[float]) -> float:
    values = sorted(values)
    n = len(values)
    return values[n // 2] if n % 2 else (values[n // 2 - 1] + values[n // 2]) / 2


def table(measurements: str, uncompressed: int) -> int:
    runs: dict[str, list[tuple[float, int, float | None]]] = {}
    with open(measurements) as f:
        for line in f:
            tool, seconds, kb, inproc = line.rstrip("\n").split("\t")
            runs.setdefault(tool, []).append((float(seconds), int(kb), float(inproc) if inproc else None))
    mb = uncompressed / 1e6
    print(f"{'tool':<22} {'median s':>9} {'min-max s':>13} {'MB/s':>8} {'peak RSS MB':>12} {'in-process s':>13}")
    medians = {}
    for tool, rs in runs.items():
        secs = [r[0] for r in rs]
        m = median(secs)
        medians[tool] = m
        inproc = [r[2] for r in rs if r[2] is not None]
        rss = max(r[1] for r in rs) / 1024
        print(f"{tool:<22} {m:>9.2f} {min(secs):>6.2f}-{max(secs):<6.2f} {mb / m if m else float('inf'):>8.1f} "
              f"{rss:>12.1f} {(f'{median(inproc):.2f}' if inproc else '-'):>13}")
    print(f"(MB/s = {mb:.1f} MB of uncompressed roster CSV, both years, / median seconds; "
          f"{len(next(iter(runs.values())))} repetition(s); peak RSS = the largest over the repetitions)")
    yb = medians.get("yearbook")
    if yb:
        ratios = [f"yearbook/{tool} = {yb / m:.2f}x" for tool, m in medians.items() if tool != "yearbook" and m]
        print("ratios (median time): " + ", ".join(ratios))
    # What ISA-L gives: in yearbook, and in the floors.
    pairs = [("yearbook-zlib", "yearbook"), ("floor-gzip", "floor-isal"), ("yearbook-zlib", "floor-gzip")]
    more = [f"{a}/{b} = {medians[a] / medians[b]:.2f}x" for a, b in pairs if medians.get(a) and medians.get(b)]
    if more:
        print("ratios (median time): " + ", ".join(more))
    return 0


def main() -> int:
    args = sys.argv[1:]
    years = [2018, 2019]
    if "--years" in args:
        i = args.index("--years")
        tail = args[i + 1:]
        years = [int(y) for y in tail if y.isdigit()]
        args = args[:i] + tail[len(years):]
    show = []
    if "--show" in args:
        i = args.index("--show")
        show = args[i + 1:]
        args = args[:i]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    command = args[0]
    if command == "run":
        tool, tree, result = args[1:4]
        runner = RUNNERS[tool]
        __import__(tool)            # the in-process time leaves the import out
        started = time.perf_counter()
        rows = runner(tree, years)
        seconds = time.perf_counter() - started
        write_result(result, rows)
        print(f"{seconds:.3f}", file=sys.stderr)
        return 0
    if command == "versions":
        for name in ("duckdb", "polars", "pandas"):
            try:
                module = __import__(name)
                print(f"{name} {module.__version__}")
            except ImportError:
                print(f"{name} (not installed)")
        return 0
    if command == "size":
        files = roster_files(args[1], years)
        print(sum(isize(p) for p in files), len(files))
        return 0
    if command == "files":
        sys.stdout.write("".join(p + "\0" for p in roster_files(args[1], years)))
        return 0
    if command == "table":
        return table(args[1], int(args[2]))
    if command == "check":
        return check(args[1], args[2], args[3:], years, show)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
