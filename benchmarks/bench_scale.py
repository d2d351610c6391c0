"""Benchmark nkgraph at 1, 100 and 2,000 synthetic articles, side by side with other servers.

For each scale: generate the synthetic data (``nkgraph synth``), build the store
(``nkgraph load --no-validate``, timed), dump the store's quads so that every server
serves exactly the same data, then run the query mix of ``bench_sparql.py`` at
concurrency 1 and 8 against, in one run:

- ``floor/gunicorn``, ``floor/granian``: a Flask app answering a constant (``floor_app.py``);
- ``nkgraph/granian``: ``nkgraph serve --store --server granian``;
- ``nkgraph/gunicorn``: ``nkgraph serve --store --server gunicorn``, the default server;
- ``nkgraph/gunicorn+cache``: the same with ``NKGRAPH_RESULT_CACHE=256`` (repeated queries
  come from each worker's cache);
- ``oxigraph``: the Oxigraph server (``oxigraph serve-read-only --union-default-graph``) on
  a store loaded by ``oxigraph load`` and compacted by ``oxigraph optimize``;
- ``rdflib-endpoint``: rdflib-endpoint on the same file (skipped at 2,000 articles).

It prints req/s and p99 per query, then ratios per query (nkgraph to floor, to
rdflib-endpoint, to Oxigraph), and at each scale the store build time, the restart time
(``serve --store`` until the first answer) and resident memory, and last the targets of
the engine issue at that scale, each with the figures of this run and whether they meet it.
Not a test: it asserts nothing. All traffic stays on 127.0.0.1.

    pip install ".[bench]"
    python benchmarks/bench_scale.py                     # 1, 100, 2000 articles
    python benchmarks/bench_scale.py --scales 1 --seconds 1
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_sparql import PREFIXES, QUERIES, Figures, free_port, resident_mib

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Server:
    name: str
    args: list[str]
    path: str
    env: dict[str, str]


def wait_ready(port: int, path: str, process: subprocess.Popen[bytes], limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", f"{path}?query=ASK%7B%7D")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"server on port {port} not ready within {limit} s")


@contextmanager
def running(server: Server, port: int) -> Iterator[tuple[subprocess.Popen[bytes], float]]:
    env = {**os.environ, **server.env}
    args = [a.replace("{port}", str(port)) for a in server.args]
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        cwd=Path(__file__).parent,
    )  # fmt: skip
    try:
        wait_ready(port, server.path, process, 600)
        yield process, time.monotonic() - started
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def servers(store: Path, quads: Path, oxi: Path, articles: int) -> list[Server]:
    py = sys.executable
    granian = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2",
               "--blocking-threads", "4", "--host", "127.0.0.1", "--port", "{port}",
               "--log-level", "error"]  # fmt: skip
    gunicorn = [py, "-m", "gunicorn", "-w", "2", "--threads", "4", "-k", "gthread",
                "-b", "127.0.0.1:{port}", "--log-level", "error"]  # fmt: skip
    serve = [py, "-m", "nkgraph", "serve", "--store", str(store), "--port", "{port}"]
    found = [
        Server("floor/gunicorn", [*gunicorn, "floor_app:app"], "/sparql", {}),
        Server("floor/granian", [*granian, "floor_app:app"], "/sparql", {}),
        Server("nkgraph/granian", [*serve, "--server", "granian"], "/sparql", {}),
        Server("nkgraph/gunicorn", [*serve, "--server", "gunicorn"], "/sparql", {}),
        Server("nkgraph/gunicorn+cache", [*serve, "--server", "gunicorn"], "/sparql",
               {"NKGRAPH_RESULT_CACHE": "256"}),
        Server("oxigraph", [str(BIN / "oxigraph"), "serve-read-only", "--location", str(oxi),
               "--bind", "127.0.0.1:{port}", "--union-default-graph"], "/query", {}),
    ]  # fmt: skip
    if articles < 1000:
        found.append(
            Server(
                "rdflib-endpoint",
                [
                    str(BIN / "rdflib-endpoint"),
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    "{port}",
                    str(quads),
                ],
                "/",
                {},
            )
        )
    return found


def timed(args: list[str]) -> float:
    started = time.monotonic()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
    return time.monotonic() - started


def prepare_scale(articles: int, work: Path) -> tuple[Path, Path, Path, float]:
    nk = [sys.executable, "-m", "nkgraph"]
    source = work / f"synthetic-{articles}.nq"
    generate = timed([*nk, "synth", "--articles", str(articles), "-o", str(source)])
    store = work / f"store-{articles}"
    # With the ontology and the union default graph, as the shipped graph is served.
    build = timed([*nk, "load", str(source), "--store", str(store), "--no-validate",
                   "--with-ontology", "--union-default-graph"])  # fmt: skip
    import pyoxigraph as ox

    quads = work / f"served-{articles}.nq"
    version = store / os.readlink(store / "current") / "oxigraph"
    ox.Store.read_only(str(version)).dump(str(quads), format=ox.RdfFormat.N_QUADS)
    oxi = work / f"oxigraph-{articles}"
    timed([str(BIN / "oxigraph"), "load", "--location", str(oxi), "--file", str(quads)])
    # Compacted, as `nkgraph load` compacts its own store: the comparison is like for like.
    timed([str(BIN / "oxigraph"), "optimize", "--location", str(oxi)])
    print(f"articles: {articles}; quads served: {sum(1 for _ in quads.open('rb'))}")
    print(f"generate: {generate:.1f} s; store build (nkgraph load --no-validate): {build:.1f} s")
    return store, quads, oxi, build


def measure(
    server: Server, seconds: float, concurrency: list[int]
) -> tuple[dict[tuple[str, int], Figures], float]:
    """Figures per (query, concurrency), and resident MiB after the run."""
    port = free_port()
    results = {}
    with running(server, port) as (process, startup):
        print(f"  {server.name}: ready in {startup:.2f} s, "
              f"RSS {resident_mib(process.pid):.0f} MiB", flush=True)  # fmt: skip
        for c in concurrency:
            for name, (query, accept) in QUERIES.items():
                results[(name, c)] = run_on(port, server.path, query, accept, c, seconds)
        rss = resident_mib(process.pid)
        print(f"  {server.name}: RSS after the run {rss:.0f} MiB")
    return results, rss


def run_on(port: int, path: str, query: str, accept: str, c: int, seconds: float) -> Figures:
    target = f"{path}?" + urllib.parse.urlencode({"query": PREFIXES + query})
    latencies: list[list[float]] = [[] for _ in range(c)]
    errors = [0] * c
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", target, headers={"Accept": accept})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            latencies[index].append(time.perf_counter() - started)
            errors[index] += not ok
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(c)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    flat = [x for per in latencies for x in per]
    return Figures(len(flat), sum(errors), time.monotonic() - started, flat)


def p99(figures: Figures) -> float:
    ordered = sorted(figures.latencies) or [0.0]
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def rate(figures: Figures) -> float | None:
    """Requests per second, or ``None`` when every request failed."""
    if figures.requests <= figures.errors:
        return None
    return figures.requests / figures.seconds


def report(all_results: dict[str, dict[tuple[str, int], Figures]], concurrency: list[int]) -> None:
    names = list(all_results)
    print()
    print("| query | c | " + " | ".join(f"{n} req/s (p99 ms)" for n in names) + " |")
    print("|---|---|" + "---|" * len(names))
    for c in concurrency:
        for query in QUERIES:
            cells = []
            for n in names:
                f = all_results[n][(query, c)]
                err = f" {f.errors}err" if f.errors else ""
                cells.append(f"{f.requests / f.seconds:.0f} ({p99(f):.1f}){err}")
            print(f"| {query} | {c} | " + " | ".join(cells) + " |")
    print()
    pairs = [(a, b) for a in names if a.startswith("nkgraph") for b in names
             if not b.startswith("nkgraph")]  # fmt: skip
    print("| query | c | " + " | ".join(f"{a} / {b}" for a, b in pairs) + " |")
    print("|---|---|" + "---|" * len(pairs))
    for c in concurrency:
        for query in QUERIES:
            cells = []
            for a, b in pairs:
                fa, rate_b = all_results[a][(query, c)], rate(all_results[b][(query, c)])
                ratio = (fa.requests / fa.seconds) / rate_b if rate_b else float("inf")
                cells.append(f"{ratio:.2f}")
            print(f"| {query} | {c} | " + " | ".join(cells) + " |")
    print(flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100, 2000])
    parser.add_argument("--seconds", type=float, default=2.0, help="per query and concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--only", nargs="*", help="server names to run (default: all)")
    options = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}; "
          f"python {platform.python_version()}")  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix="nkgraph-bench-"))
    try:
        for articles in options.scales:
            print(f"\n## {articles} article(s)", flush=True)
            store, quads, oxi, build = prepare_scale(articles, work)
            restart = measure_restart(store)
            print(f"restart (nkgraph serve --store, until the first answer): {restart:.2f} s")
            results = {}
            memory = {}
            for server in servers(store, quads, oxi, articles):
                if options.only and server.name not in options.only:
                    continue
                results[server.name], memory[server.name] = measure(
                    server, options.seconds, options.concurrency
                )
            report(results, options.concurrency)
            targets(Scale(articles, build, restart, results, memory))
    finally:
        shutil.rmtree(work, ignore_errors=True)


@dataclass(frozen=True)
class Scale:
    """What one scale of the run measured."""

    articles: int
    build: float
    restart: float
    results: dict[str, dict[tuple[str, int], Figures]]
    memory: dict[str, float]

    def rate(self, server: str, query: str, c: int) -> float | None:
        figures = self.results.get(server, {}).get((query, c))
        return None if figures is None else rate(figures)


#: Queries the issue asks to answer at least at the Oxigraph server's rate at 100 articles.
AT_LEAST_OXIGRAPH = ("label search", "aggregate", "optional-heavy")


def targets(scale: Scale) -> None:
    """Print the engine issue's targets at this scale: the figures, and met or not."""
    lines: list[tuple[str, list[float], float]] = []  # (target, ratios, the least allowed)
    nk, cache, floor = "nkgraph/gunicorn", "nkgraph/gunicorn+cache", "floor/gunicorn"
    ref, oxi = "rdflib-endpoint", "oxigraph"
    concurrency = sorted({c for per in scale.results.values() for _, c in per})

    def ratios(a: str, b: str, queries: tuple[str, ...] = tuple(QUERIES)) -> list[float]:
        found = []
        for c in concurrency:
            for query in queries:
                top, bottom = scale.rate(a, query, c), scale.rate(b, query, c)
                if top is not None and bottom:
                    found.append(top / bottom)
        return found

    if scale.articles == 1:
        lines.append((f"{nk} / {floor}, every query (cache off)", ratios(nk, floor), 0.6))
        lines.append((f"{nk} / {ref}, every query", ratios(nk, ref), 2.0))
        lines.append((f"{cache} / {floor}, repeated queries", ratios(cache, floor), 0.9))
    if scale.articles == 100:
        slow = tuple(q for q in QUERIES if _median_ms(scale, ref, q) > 5)
        fast = tuple(q for q in QUERIES if q not in slow)
        lines.append(
            (f"{nk} / {ref}, queries it takes over 5 ms {slow}", ratios(nk, ref, slow), 10)
        )
        lines.append((f"{nk} / {ref}, the others {fast}", ratios(nk, ref, fast), 2.0))
        lines.append((f"{nk} / {oxi}, {AT_LEAST_OXIGRAPH}", ratios(nk, oxi, AT_LEAST_OXIGRAPH), 1))
    print(f"targets at {scale.articles} article(s):")
    for target, found, least in lines:
        if not found:
            print(f"- {target}: not measured")
            continue
        verdict = "met" if min(found) >= least else "NOT met"
        print(f"- {target} >= {least:g}: {min(found):.2f}-{max(found):.2f}: {verdict}")
    if scale.articles >= 2000:
        worst = max(
            (p99(f), query, c) for (query, c), f in scale.results.get(nk, {}).items()
        ) if nk in scale.results else None  # fmt: skip
        checks = [
            ("store build (--no-validate)", scale.build, 60, "s"),
            ("restart on the store", scale.restart, 2, "s"),
            (f"{nk} resident memory after the run", scale.memory.get(nk, 0) / 1024, 2, "GiB"),
        ]
        if worst is not None:
            checks.append((f"highest p99 ({worst[1]}, c={worst[2]})", worst[0] / 1000, 1, "s"))
        for what, value, limit, unit in checks:
            verdict = "met" if value < limit else "NOT met"
            print(f"- {what} < {limit} {unit}: {value:.2f} {unit}: {verdict}")
    print(flush=True)


def _median_ms(scale: Scale, server: str, query: str) -> float:
    """Median latency of ``query`` with one client; 0 when not measured."""
    figures = scale.results.get(server, {}).get((query, 1))
    if figures is None or not figures.latencies:
        return 0.0
    return statistics.median(figures.latencies) * 1000


def measure_restart(store: Path) -> float:
    port = free_port()
    server = Server("nkgraph", [sys.executable, "-m", "nkgraph", "serve", "--store", str(store),
                    "--port", "{port}"], "/sparql", {})  # fmt: skip
    with running(server, port) as (_, startup):
        return startup


if __name__ == "__main__":
    main()
