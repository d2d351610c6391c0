"""Writes against the real ``nkgraph serve --writes`` (gunicorn, 2 workers) on a real store:
the whole cycle, every worker seeing a commit, concurrent writers and readers, and
``kill -9`` in the middle of writes."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from liveserver import LiveServer, start_server, stop_server
from writestore import BAD, GOOD, GRAPH, WriteStore, build_shipped_store, copy_store

pytestmark = pytest.mark.live

ASK_GOOD = f'ASK {{ GRAPH <{GRAPH}> {{ ?p <http://schema.org/name> "Ana" }} }}'
ASK_BAD = "ASK { <https://w3id.org/nkgraph/id/nameless> ?p ?o }"
ID = "https://w3id.org/nkgraph/id/"
SCHEMA = "http://schema.org/"


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped_store(tmp_path_factory.mktemp("shipped") / "store")


@pytest.fixture
def store(shipped_store: Path, tmp_path: Path) -> WriteStore:
    return copy_store(shipped_store, tmp_path / "store")


def _serve(store: WriteStore) -> LiveServer:
    return start_server(
        "--store", str(store.directory), "--writes", "--workers", "2", "--threads", "4",
    )  # fmt: skip


@pytest.fixture
def server(store: WriteStore) -> Iterator[LiveServer]:
    server = _serve(store)
    yield server
    stop_server(server)


def _call(
    url: str,
    *,
    data: bytes | None = None,
    method: str = "GET",
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers.items()), error.read()


def _lower(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header names in lower case: granian sends them so, gunicorn as the app wrote them."""
    return {name.lower(): value for name, value in headers}


def _update(
    server: LiveServer, text: str, secret: str | None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    sent = {"Content-Type": "application/sparql-update", "Accept": "application/json", **headers}
    if secret:
        sent["Authorization"] = f"Bearer {secret}"
    return _call(server.url + "/update", data=text.encode(), method="POST", headers=sent)


def _query(server: LiveServer, query: str) -> dict[str, object]:
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": query})
    status, _, body = _call(url, headers={"Accept": "application/sparql-results+json"})
    assert status == 200, body
    answer: dict[str, object] = json.loads(body)
    return answer


def _ask(server: LiveServer, query: str) -> bool:
    return bool(_query(server, query)["boolean"])


def _every_worker_answers(server: LiveServer, query: str, expected: bool, within: float) -> float:
    """Seconds until 20 answers in a row (new connections, so both workers) are
    ``expected``; fails after ``within``."""
    started = time.monotonic()
    streak = 0
    while streak < 20:
        streak = streak + 1 if _ask(server, query) is expected else 0
        assert time.monotonic() - started < within, f"{query} not {expected} after {within} s"
    return time.monotonic() - started


def test_the_write_cycle(server: LiveServer, store: WriteStore) -> None:
    status, headers, _ = _update(server, GOOD, None)
    assert status == 401
    assert headers["www-authenticate"].startswith("Bearer")

    status, _, body = _update(server, BAD, store.writer)
    assert status == 422
    assert json.loads(body)["violations"]
    assert not _ask(server, ASK_BAD)

    status, headers, body = _update(server, GOOD, store.writer)
    assert status == 200, body
    assert json.loads(body)["entry"] == 1
    assert _every_worker_answers(server, ASK_GOOD, True, within=1.0) < 1.0
    status, _, page = _call(server.url + "/history", headers={"Accept": "text/html"})
    assert status == 200
    assert b'href="/history/1"' in page

    revert = subprocess.run(
        [sys.executable, "-m", "nkgraph", "revert", "1", "--store", str(store.directory)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert revert.returncode == 0, revert.stderr
    _every_worker_answers(server, ASK_GOOD, False, within=1.0)
    status, _, page = _call(server.url + "/history/2", headers={"Accept": "text/html"})
    assert status == 200


# --- concurrency ----------------------------------------------------------------------

_MOVER = f"<{ID}moving-person>"
_A = "https://w3id.org/nkgraph/graph/corrections-a"
_B = "https://w3id.org/nkgraph/graph/corrections-b"
_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {_MOVER} <{SCHEMA}name> ?name }} }}"


def _move(source: str, target: str) -> str:
    triple = f'{_MOVER} <{SCHEMA}name> "Mover"'
    return (
        f"DELETE DATA {{ GRAPH <{source}> {{ {triple} }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{target}> {{ {triple} }} }}"
    )


def _count(server: LiveServer) -> int:
    bindings = _query(server, _COUNT)["results"]["bindings"]  # type: ignore[index]
    return int(bindings[0]["n"]["value"])  # type: ignore[index]


def test_concurrent_writers_and_readers(server: LiveServer, store: WriteStore) -> None:
    """Writers move one triple between two graphs (each move one transaction) while
    readers count it: a reader that saw 0 or 2 saw half a transaction."""
    person = (
        f"INSERT DATA {{ GRAPH <{_A}> {{ {_MOVER} a <http://xmlns.com/foaf/0.1/Person> ; "
        f'<{SCHEMA}name> "Mover" }} }}'
    )
    assert _update(server, person, store.writer)[0] == 200
    statuses: Counter[int] = Counter()
    counts: Counter[int] = Counter()
    stop = time.monotonic() + 4.0

    def writer(source: str, target: str) -> None:
        while time.monotonic() < stop:
            status, _, _ = _update(server, _move(source, target), store.writer)
            statuses[status] += 1
            source, target = target, source

    def reader() -> None:
        while time.monotonic() < stop:
            counts[_count(server)] += 1

    threads = [threading.Thread(target=writer, args=(_A, _B)) for _ in range(2)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(status < 500 for status in statuses), statuses
    assert statuses[200] > 0, statuses
    assert set(counts) == {1}, counts  # never 0 or 2: no half transaction seen


def _racing_puts(server: LiveServer, store: WriteStore, etag: str, names: list[str]) -> list[int]:
    """PUT the graph once per name, all at the same moment, each with ``If-Match: etag``."""
    results: list[int] = []
    barrier = threading.Barrier(len(names))

    def put(name: str) -> None:
        body = f'<{ID}racer> a <http://xmlns.com/foaf/0.1/Person> ; <{SCHEMA}name> "{name}" .'
        barrier.wait()
        status, _, _ = _call(
            server.url + "/graph?" + urllib.parse.urlencode({"graph": GRAPH}),
            data=body.encode(),
            method="PUT",
            headers={
                "Content-Type": "text/turtle",
                "Authorization": f"Bearer {store.writer}",
                "If-Match": etag,
            },
        )
        results.append(status)

    threads = [threading.Thread(target=put, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_racing_if_match_writes_one_wins(server: LiveServer, store: WriteStore) -> None:
    for round_ in range(5):
        status, headers, _ = _call(server.url + "/graph?default")
        assert status == 200
        results = _racing_puts(server, store, headers["etag"], [f"r{round_}-a", f"r{round_}-b"])
        assert sorted(results) in ([200, 412], [201, 412]), results


# --- durability -----------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _kill_9(server: LiveServer) -> None:
    """SIGKILL the serving process and its workers, as a power cut would."""
    workers = _children(server.process.pid)
    os.kill(server.process.pid, signal.SIGKILL)
    for pid in workers:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    server.process.wait()
    if server.process.stderr is not None:
        server.process.stderr.close()


def test_kill_9_during_writes_loses_no_acknowledged_commit(store: WriteStore) -> None:
    server = _serve(store)
    acknowledged: list[int] = []
    stop = threading.Event()

    def write() -> None:
        number = 0
        while not stop.is_set():
            number += 1
            text = (
                f"INSERT DATA {{ GRAPH <{GRAPH}> {{ <{ID}p{number}> a "
                f'<http://xmlns.com/foaf/0.1/Person> ; <{SCHEMA}name> "P{number}" }} }}'
            )
            try:
                status, _, _ = _update(server, text, store.writer)
            except OSError:
                return  # the server is gone
            if status == 200:
                acknowledged.append(number)

    thread = threading.Thread(target=write)
    thread.start()
    deadline = time.monotonic() + 120
    while len(acknowledged) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)  # into the next write
    _kill_9(server)
    stop.set()
    thread.join()
    assert acknowledged
    restarted = _serve(store)
    try:
        query = f"SELECT ?s WHERE {{ GRAPH <{GRAPH}> {{ ?s <{SCHEMA}name> ?n }} }}"
        bindings = _query(restarted, query)["results"]["bindings"]  # type: ignore[index]
        present = {b["s"]["value"] for b in bindings}  # type: ignore[index]
        assert {f"{ID}p{n}" for n in acknowledged} <= present
    finally:
        stop_server(restarted)


def test_granian_workers_see_a_commit_too(store: WriteStore) -> None:
    server = start_server(
        "--store", str(store.directory), "--writes", "--workers", "2", "--server", "granian",
    )  # fmt: skip
    try:
        status, headers, body = _update(server, GOOD, store.writer)
        assert status == 200, body
        assert _every_worker_answers(server, ASK_GOOD, True, within=1.0) < 1.0
        status, read_headers, _ = _call(server.url + "/graph?default")
        assert read_headers["etag"] == headers["etag"]
    finally:
        stop_server(server)
