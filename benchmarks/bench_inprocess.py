"""Where a query's time goes, in process: pyoxigraph alone, nkgraph's app, the floor app.

For synthetic articles (``nkgraph synth``) it builds a store the way ``nkgraph load`` does
and times each query of ``bench_sparql.py``'s mix, best of several batches:

- ``store``: pyoxigraph alone on the on-disk store as bulk-loaded, then again after
  ``Store.optimize()`` (the compaction ``nkgraph load`` runs), evaluation and writing;
- ``memory``: pyoxigraph alone on the in-memory copy ``serve --store`` makes of a small
  store;
- ``app``: the whole nkgraph WSGI app serving the store ``nkgraph load --store`` builds, as
  ``serve --store`` does (request parsing, ETag, the deadline thread, writing), called
  directly with no HTTP server, cache off;

and the floor app (``floor_app.py``) the same way, for what Flask alone costs. No HTTP,
so the figures say what the service adds to the engine; ``bench_scale.py`` measures the
whole path. Not a test: it asserts nothing.

    python benchmarks/bench_inprocess.py                  # 1 article
    python benchmarks/bench_inprocess.py --articles 2000
"""

from __future__ import annotations

import argparse
import io
import platform
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).parent))
from bench_sparql import PREFIXES, QUERIES

from nkgraph.config import Settings
from nkgraph.model.loading import load_into_store
from nkgraph.sparql.store import build_store
from nkgraph.web import create_app


def best_ms(call: Callable[[], object], *, batches: int = 7, seconds: float = 0.3) -> float:
    """The fastest mean time of ``call`` over ``batches`` batches, in milliseconds."""
    call()
    started = time.perf_counter()
    call()
    per_batch = max(1, int(seconds / max(time.perf_counter() - started, 1e-6)))
    best = float("inf")
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(per_batch):
            call()
        best = min(best, (time.perf_counter() - started) / per_batch)
    return best * 1000


def engine_call(store: ox.Store, query: str) -> Callable[[], object]:
    """Evaluate ``query`` and write its answer as the service's default format would."""

    def run() -> object:
        answer = store.query(query, use_default_graph_as_union=True)
        if isinstance(answer, ox.QuerySolutions):
            return answer.serialize(format=ox.QueryResultsFormat.JSON)
        if isinstance(answer, ox.QueryTriples):
            return answer.serialize(format=ox.RdfFormat.TURTLE)
        return bool(answer)

    return run


def wsgi_call(app: Callable[..., object], query: str, accept: str) -> Callable[[], object]:
    """One GET /sparql through ``app``, as a WSGI server would make it."""
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": "/sparql", "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": urllib.parse.urlencode({"query": query}), "HTTP_ACCEPT": accept,
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
    }  # fmt: skip

    def run() -> object:
        statuses: list[str] = []
        body = b"".join(
            app(  # type: ignore[arg-type]
                {**environ, "wsgi.input": io.BytesIO()},
                lambda status, headers, exc_info=None: statuses.append(status),
            )
        )
        if not statuses or not statuses[0].startswith("200"):
            raise SystemExit(f"the app answered {statuses} for {query!r}")
        return body

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1)
    options = parser.parse_args()
    print(f"machine: {platform.machine()}; python {platform.python_version()}; "
          f"pyoxigraph {ox.__version__}")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="nkgraph-inprocess-") as work:
        source = Path(work) / "synthetic.nq"
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "nkgraph", "synth", "--articles", str(options.articles),
             "-o", str(source)], check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        disk = ox.Store(str(Path(work) / "store"))
        load_into_store(disk, [source], with_ontology=True)
        queries = {name: PREFIXES + query for name, (query, _) in QUERIES.items()}
        as_loaded = {name: best_ms(engine_call(disk, q)) for name, q in queries.items()}
        started = time.perf_counter()
        disk.optimize()
        print(f"quads: {len(disk)}; optimize(): {time.perf_counter() - started:.1f} s")
        compacted = {name: best_ms(engine_call(disk, q)) for name, q in queries.items()}
        memory = ox.Store()
        memory.bulk_extend(disk.quads_for_pattern(None, None, None))
        in_memory = {name: best_ms(engine_call(memory, q)) for name, q in queries.items()}
        del disk, memory
        # The service as `nkgraph load --store` and `nkgraph serve --store` run it.
        built = Path(work) / "served"
        build_store([source], built, validate=False, with_ontology=True, union_default_graph=True)
        served = create_app(Settings(store=built, result_cache=0)).wsgi_app
        whole = {
            name: best_ms(wsgi_call(served, queries[name], accept))
            for name, (_, accept) in QUERIES.items()
        }
    from floor_app import app as floor

    floor_ms = best_ms(wsgi_call(floor.wsgi_app, "ASK {}", "application/sparql-results+json"))
    print(f"floor app (Flask answering a constant): {floor_ms:.3f} ms\n")
    print("| query | store as loaded ms | store compacted ms | memory ms | nkgraph app ms |")
    print("|---|---:|---:|---:|---:|")
    for name in QUERIES:
        print(f"| {name} | {as_loaded[name]:.3f} | {compacted[name]:.3f} | "
              f"{in_memory[name]:.3f} | {whole[name]:.3f} |")  # fmt: skip


if __name__ == "__main__":
    main()
