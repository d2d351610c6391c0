"""Are requests lost while a worker is replaced after a runaway query? gunicorn vs granian.

For each server, starts ``nkgraph serve --server NAME --timeout 1`` on 1 synthetic article
on a free local port, runs 8 keep-alive clients asking ASK for 9 s, and meanwhile sends
three queries that overrun the 1 s limit (each makes a worker be replaced). Prints the
requests answered and the requests that failed (an error status or a broken
connection). It asserts nothing. All traffic stays on 127.0.0.1.

    python benchmarks/recycle_under_load.py
    sysctl -w net.ipv4.tcp_migrate_req=1 && python benchmarks/recycle_under_load.py

The second form checks whether Linux's migration of queued connections (which granian's
own warning suggests for respawned workers) saves granian's failed requests: on this
machine it did not (5 failed of 16,379).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_scale import Server, run_on, running
from bench_sparql import free_port

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def runaways(port: int, outcomes: list[str]) -> None:
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
    for _ in range(3):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                outcomes.append(str(response.status))
        except urllib.error.HTTPError as error:
            outcomes.append(str(error.code))
        except OSError as error:
            outcomes.append(f"error ({error})")
        time.sleep(1.5)


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        nk = [sys.executable, "-m", "nkgraph"]
        data = Path(work, "one.nq")
        subprocess.run([*nk, "synth", "--articles", "1", "-o", str(data)], check=True)  # noqa: S603
        store = Path(work, "store")
        subprocess.run([*nk, "load", str(data), "--store", str(store), "--no-validate"],  # noqa: S603
                       check=True)  # fmt: skip
        for name in ("gunicorn", "granian"):
            serve = [*nk, "serve", "--store", str(store), "--server", name, "--timeout", "1"]
            server = Server(name, [*serve, "--port", "{port}"], "/sparql", {})
            port = free_port()
            with running(server, port):
                outcomes: list[str] = []
                thread = threading.Thread(target=runaways, args=(port, outcomes))
                thread.start()
                figures = run_on(port, "/sparql", "ASK { ?s ?p ?o }",
                                 "application/sparql-results+json", 8, 9.0)  # fmt: skip
                thread.join()
            print(f"{name}: {figures.requests} requests, {figures.errors} failed; "
                  f"runaway queries answered {', '.join(outcomes)}")  # fmt: skip


if __name__ == "__main__":
    main()
