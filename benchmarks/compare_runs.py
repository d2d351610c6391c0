"""Compare ``bench_scale.py`` runs of two commits, normalised by the floor server.

On a shared machine absolute requests per second move with the load; the ratio of
nkgraph to the floor app measured in the same run moves much less. Run the two commits
interleaved (A, B, A, B), each from its own checkout and virtual environment, with
``--only floor/gunicorn nkgraph/gunicorn``, then::

    python benchmarks/compare_runs.py --before a-1.log a-2.log --after b-1.log b-2.log

It prints a Markdown table (mean nkgraph req/s and mean ratio to the floor, per query),
the geometric mean of the ratios per scale, and the run-to-run noise: the median factor
between two runs of the same commit. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
from collections import defaultdict
from pathlib import Path

Key = tuple[int, str, int]
_SCALE = re.compile(r"## (\d+) article")
_ROW = re.compile(r"\| ([\w -]+?) \| (\d+) \| ([\d.]+) \([\d.]+\) \| ([\d.]+) \([\d.]+\) \|")


def parse(path: Path) -> dict[Key, tuple[float, float]]:
    """(scale, query, clients) -> (floor req/s, nkgraph req/s) of one run's first table."""
    rows: dict[Key, tuple[float, float]] = {}
    scale = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if found := _SCALE.match(line):
            scale = int(found[1])
        elif (row := _ROW.match(line)) and scale:
            rows[(scale, row[1], int(row[2]))] = (float(row[3]), float(row[4]))
    return rows


def geometric_mean(values: list[float]) -> float:
    return math.exp(statistics.fmean(math.log(v) for v in values))


def noise(runs: list[dict[Key, tuple[float, float]]]) -> float:
    """The median factor between the floor ratios of the first two runs."""
    if len(runs) < 2:
        return float("nan")
    first, second = runs[0], runs[1]
    factors = [
        abs(math.log((first[k][1] / first[k][0]) / (second[k][1] / second[k][0])))
        for k in first
        if k in second
    ]
    return math.exp(statistics.median(factors))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, nargs="+", required=True)
    parser.add_argument("--after", type=Path, nargs="+", required=True)
    args = parser.parse_args()
    sides = {"before": [parse(p) for p in args.before], "after": [parse(p) for p in args.after]}
    print("| articles | query | clients | before: req/s (÷ floor) | after: req/s (÷ floor) |")
    print("|---:|---|---:|---:|---:|")
    ratios: dict[tuple[int, str], list[float]] = defaultdict(list)
    for key in sides["before"][0]:
        cells = []
        for side, runs in sides.items():
            pairs = [run[key] for run in runs if key in run]
            ratio = statistics.fmean(nk / floor for floor, nk in pairs)
            ratios[(key[0], side)].append(ratio)
            cells.append(f"{statistics.fmean(nk for _, nk in pairs):.0f} ({ratio:.2f})")
        print(f"| {key[0]} | {key[1]} | {key[2]} | {cells[0]} | {cells[1]} |")
    print()
    for (scale, side), values in sorted(ratios.items()):
        print(f"{scale} article(s), {side}: geometric mean ratio {geometric_mean(values):.2f}")
    for side, runs in sides.items():
        print(f"run-to-run noise, {side}: a factor of {noise(runs):.2f} (median)")


if __name__ == "__main__":
    main()
