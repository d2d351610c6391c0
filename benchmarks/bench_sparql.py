"""Benchmark the SPARQL service as deployed: ``nkgraph serve`` with its production settings.

Starts the real server on a free local port (the shipped graph unless ``--data``), runs a
query mix at concurrency 1 and 8 over keep-alive HTTP connections, and prints requests per
second and p50/p99 latency per query, startup time and resident memory. Not a test: it
prints figures and asserts nothing. All traffic stays on 127.0.0.1, bounded in time.

    python benchmarks/bench_sparql.py                  # gunicorn, shipped graph
    python benchmarks/bench_sparql.py --server waitress  # the same app under waitress
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX nk: <https://w3id.org/nkgraph/ontology#>
PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
"""

#: name -> (query, Accept)
QUERIES: dict[str, tuple[str, str]] = {
    "entity lookup": (
        "SELECT ?p ?o WHERE { ?s rdfs:label ?l . FILTER(?l = 'Armenia'@en || ?l = 'Armenia')"
        " ?s ?p ?o }",
        "application/sparql-results+json",
    ),
    "label search": (
        "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(STR(?l)), 'arm')) }",
        "application/sparql-results+json",
    ),
    "2-hop join": (
        "SELECT ?a ?b ?c WHERE { ?a ?p ?b . ?b ?q ?c . FILTER(isIRI(?c)) } LIMIT 200",
        "application/sparql-results+json",
    ),
    "aggregate": (
        "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n)",
        "application/sparql-results+json",
    ),
    "property path": (
        "SELECT ?c ?super WHERE { ?c rdfs:subClassOf+ ?super }",
        "application/sparql-results+json",
    ),
    "optional-heavy": (
        "SELECT ?s ?l ?t ?c WHERE { ?s a ?t OPTIONAL { ?s rdfs:label ?l }"
        " OPTIONAL { ?s rdfs:comment ?c } } LIMIT 500",
        "application/sparql-results+json",
    ),
    "CONSTRUCT": (
        "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }",
        "text/turtle",
    ),
    "DESCRIBE": ("DESCRIBE ?s WHERE { ?s a nk:Line } LIMIT 3", "text/turtle"),
    "ASK": ("ASK { ?s ?p ?o }", "application/sparql-results+json"),
}


@dataclass(frozen=True)
class Figures:
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    def line(self, name: str, concurrency: int) -> str:
        ordered = sorted(self.latencies) or [0.0]
        p50 = statistics.median(ordered) * 1000
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000
        rate = self.requests / self.seconds
        return (
            f"| {name:<15} | {concurrency:>2} | {rate:>8.0f} | {p50:>7.2f} | {p99:>7.2f} |"
            f" {self.errors:>4} |"
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(server: str, port: int, data: list[str]) -> tuple[subprocess.Popen[bytes], float]:
    env = dict(os.environ)
    if server == "gunicorn":
        args = [sys.executable, "-m", "nkgraph", "serve", "--port", str(port)]
        for path in data:
            args += ["--data", path]
    else:
        env["NKGRAPH_DATA"] = os.pathsep.join(data)
    if data:  # served as the shipped graph is: with the ontology, the union default graph
        env["NKGRAPH_WITH_ONTOLOGY"] = env["NKGRAPH_UNION_DEFAULT_GRAPH"] = "true"
        args = [
            sys.executable, "-m", "waitress", "--listen", f"127.0.0.1:{port}", "--threads", "8",
            "--call", "nkgraph.web:create_app",
        ]  # fmt: skip
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    while time.monotonic() - started < 120:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/sparql?query=ASK%7B%7D")
            if connection.getresponse().status == 200:
                return process, time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the server did not start within 120 s")


def resident_mib(pid: int) -> float:
    """Resident memory of ``pid`` and its children (gunicorn's workers), in MiB."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        if int(status.parent.name) == pid or fields.get("PPid", "").strip() == str(pid):
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def run(port: int, query: str, accept: str, concurrency: int, seconds: float) -> Figures:
    path = "/sparql?" + urllib.parse.urlencode({"query": PREFIXES + query})
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            connection.request("GET", path, headers={"Accept": accept})
            response = connection.getresponse()
            response.read()
            latencies[index].append(time.perf_counter() - started)
            if response.status != 200:
                errors[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = [x for per_client in latencies for x in per_client]
    return Figures(len(flat), sum(errors), elapsed, flat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", choices=["gunicorn", "waitress"], default="gunicorn")
    parser.add_argument("--data", action="append", default=[], help="RDF file or folder")
    parser.add_argument("--seconds", type=float, default=3.0, help="per query and concurrency")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    options = parser.parse_args()

    port = free_port()
    process, startup = start(options.server, port, options.data)
    try:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()}")
        print(f"python {platform.python_version()}, server: {options.server}")
        print(f"startup (load, validate, ready): {startup:.2f} s")
        print(f"resident memory after startup: {resident_mib(process.pid):.0f} MiB")
        print()
        print("| query           |  c |    req/s | p50 ms  | p99 ms  | errs |")
        print("|-----------------|----|----------|---------|---------|------|")
        for concurrency in options.concurrency:
            for name, (query, accept) in QUERIES.items():
                figures = run(port, query, accept, concurrency, options.seconds)
                print(figures.line(name, concurrency), flush=True)
        print()
        print(f"resident memory after the run: {resident_mib(process.pid):.0f} MiB")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


if __name__ == "__main__":
    main()
