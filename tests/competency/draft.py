"""Print a draft of a competency question's expected answer, as CSV, to review by hand.

Usage: python tests/competency/draft.py 01-fled-by-saturday.rq > 01-fled-by-saturday.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from nkgraph.model.loading import load_dataset

HERE = Path(__file__).parent


def answer_rows(dataset, query: str) -> tuple[list[str], list[list[str]]]:  # type: ignore[no-untyped-def]
    """The variables and rows of ``query``'s answer, each value as a string."""
    result = dataset.query(query)
    names = [str(var) for var in result.vars]
    rows = [["" if value is None else str(value) for value in row] for row in result]
    return names, rows


def main(name: str) -> None:
    names, rows = answer_rows(load_dataset(), (HERE / name).read_text(encoding="utf-8"))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(sorted(rows))


if __name__ == "__main__":
    main(sys.argv[1])
