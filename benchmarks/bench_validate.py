"""Benchmark SHACL validation (``nkgraph.validation.shacl.validate``) on synthetic articles.

For each scale: generate the synthetic data (``nkgraph synth``), then, in a fresh Python
process per row (so that peak memory is the row's own), load it into rdflib
(``graph.load_dataset``) and validate it with the shipped shapes, with one process and
with the default (one worker process per CPU from 20,000 triples). It prints the
triples, load seconds (and of them, parsing the files and deriving the truthy graph),
validation seconds, whether the data conforms, and peak resident memory of the main
process and of the largest worker. Not a test: it asserts nothing.

    python benchmarks/bench_validate.py                         # 1, 10, 100 articles
    python benchmarks/bench_validate.py --scales 1 10 100 500 --workers auto
    python benchmarks/bench_validate.py --rdflib-parsers        # without nkgraph.model.fast_load
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def measure(path: Path, workers: str, *, rdflib_parsers: bool) -> dict[str, object]:
    """Load and validate ``path`` in this process; the figures of one row."""
    from nkgraph.model import loading as graph
    from nkgraph.model.loading import load_dataset, load_shapes
    from nkgraph.validation.shacl import validate

    if rdflib_parsers:  # every file goes to rdflib's parser, as before fast_load
        graph.parse_into = lambda *args, **options: False
    truthy: list[float] = []
    derive = graph.add_truthy_graph

    def add_truthy_graph(dataset: object) -> None:
        started = time.perf_counter()
        derive(dataset)
        truthy.append(time.perf_counter() - started)

    graph.add_truthy_graph = add_truthy_graph
    shapes = load_shapes()
    started = time.perf_counter()
    dataset = load_dataset([path])
    loaded = time.perf_counter()
    report = validate(dataset, shapes=shapes, workers=None if workers == "auto" else int(workers))
    validated = time.perf_counter()
    return {
        "triples": len(dataset),
        "load_s": loaded - started,
        "parse_s": loaded - started - sum(truthy),
        "truthy_s": sum(truthy),
        "validate_s": validated - loaded,
        "conforms": report.conforms,
        "results": len(report.results),
        "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def row(path: Path, workers: str, *, rdflib_parsers: bool) -> dict[str, object]:
    command = [sys.executable, __file__, "--measure", str(path), "--workers", workers]
    command += ["--rdflib-parsers"] if rdflib_parsers else []
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    figures: dict[str, object] = json.loads(output)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--workers", nargs="+", default=["1", "auto"])
    parser.add_argument(
        "--rdflib-parsers",
        action="store_true",
        help="parse with rdflib only (the loader before nkgraph.model.fast_load), to compare",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(
            json.dumps(measure(args.measure, args.workers[0], rdflib_parsers=args.rdflib_parsers))
        )
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}")
    print(f"python {platform.python_version()}")
    print()
    print(f"parsers: {'rdflib only' if args.rdflib_parsers else 'pyoxigraph where it can'}")
    print()
    print(
        "| articles | triples | workers | load s | parse s | truthy s | validate s | conforms "
        "| RSS MiB | worker MiB |"
    )
    print(
        "|---------:|--------:|--------:|-------:|--------:|---------:|-----------:|----------"
        "|--------:|-----------:|"
    )
    with tempfile.TemporaryDirectory() as scratch:
        from nkgraph.model.synthetic import write_synthetic

        for articles in args.scales:
            path = Path(scratch) / f"synthetic-{articles}.nq"
            write_synthetic(path, articles)
            for workers in args.workers:
                f = row(path, workers, rdflib_parsers=args.rdflib_parsers)
                print(
                    f"| {articles:8d} | {f['triples']:7d} | {workers:>7} | {f['load_s']:6.1f} "
                    f"| {f['parse_s']:7.1f} | {f['truthy_s']:8.1f} "
                    f"| {f['validate_s']:10.1f} | {f['conforms']!s:8} | {f['rss_mib']:7.0f} "
                    f"| {f['worker_rss_mib']:10.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
