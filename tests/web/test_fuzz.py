"""Seeded fuzzing of ``/sparql`` over HTTP (issue #12): mutated valid queries, sent by GET
and by POST (form and direct body, with odd Content-Types and Accept headers), to one real
server. Whatever the request, the answer is not a 5xx and it comes in time.

The seed and the count are fixed, so a failure replays: the message names the request.
"""

from __future__ import annotations

import http.client
import random
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.liveserver import LiveServer, start_server, stop_server
from tests.web.conftest import DATA

pytestmark = pytest.mark.live

SEED = 20_231_001
REQUESTS = 3_000
#: A request not answered within this many seconds is a hang (queries stop at 10 s).
CLIENT_TIMEOUT = 20.0

ROOT = Path(__file__).parents[2]

#: Queries in the style of the W3C test suites: every query form and the usual operators.
W3C_STYLE = [
    "PREFIX : <http://example.org/> SELECT ?s ?o WHERE { ?s :p ?o . OPTIONAL { ?o :q ?x } }",
    "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p HAVING (COUNT(*) > 1)",
    'ASK { ?s ?p ?o FILTER (isLiteral(?o) && lang(?o) = "en") }',
    'CONSTRUCT { ?s <http://example.org/label> ?l } WHERE { ?s ?p ?l FILTER regex(str(?l), "^A", "i") }',  # noqa: E501
    "DESCRIBE ?s WHERE { ?s a ?c } LIMIT 2",
    "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } MINUS { ?s a ?t } } ORDER BY DESC(?o) OFFSET 1 LIMIT 5",  # noqa: E501
    'SELECT ?x WHERE { VALUES (?x ?y) { (1 2) (UNDEF "a"@fr) } BIND(?x + 1 AS ?z) }',
    'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT (xsd:integer("12") * 2 AS ?v) (NOW() AS ?t) (SHA256("x") AS ?h) {}',  # noqa: E501
    "SELECT ?s WHERE { ?s (<http://example.org/p>|^<http://example.org/q>)+/<http://example.org/r>* ?o }",  # noqa: E501
    'SELECT (GROUP_CONCAT(?o; SEPARATOR=", ") AS ?all) WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?p ?s } }',  # noqa: E501
    'SELECT * { ?s ?p """long\nstring""" . ?s ?p \'single\' . ?s ?p 1.5e3 . ?s ?p true }',
    "SELECT * { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
]

ACCEPTS = [
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/turtle",
    "application/ld+json",
    "text/html",
    "*/*",
    "",
    "application/json;q=0.1, text/plain;q=0",
    "image/png",
    "text/*;q=abc",
    ";;;,,,",
    "application/sparql-results+json; charset=latin-1",
]
CONTENT_TYPES = [
    "application/sparql-query",
    "application/sparql-query; charset=utf-8",
    "application/sparql-query; charset=iso-8859-1",
    "application/x-www-form-urlencoded",
    "text/plain",
    "multipart/form-data; boundary=x",
    "application/sparql-update",
    "",
    "application/json",
]
#: Junk to insert: control and format characters, a lone surrogate (not UTF-8 at all),
#: letters outside ASCII and the BMP, and SPARQL's own punctuation out of place.
JUNK = [
    "\x00", "\ufeff", "\u202e", "\ud800", "\u00e9", "\U0001d538", "\\", '"', "'", "<",
    ">", "{", "}", "(", ")", "#", "?", "$", "^^", "@", "_:", ";", ",", ".", "*", "\r\n", "%",
    "%%", "%zz", "\u2028",
]  # fmt: skip


def seed_queries() -> list[str]:
    """The competency questions, the README's examples and the W3C-style queries."""
    queries = [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests/competency").glob("*.rq"))
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    queries += re.findall(r"--data(?:-urlencode)? '(?:query=)?\n?([^']+)'", readme)
    return queries + W3C_STYLE


def _pieces(query: str) -> list[str]:
    return re.findall(r"\s+|\w+|[^\w\s]", query)


def mutate(query: str, rng: random.Random) -> str:
    """One to three of: delete, duplicate or swap tokens, insert junk, truncate, nest."""
    for _ in range(rng.randint(1, 3)):
        pieces = _pieces(query) or [""]
        at = rng.randrange(len(pieces))
        choice = rng.randrange(7)
        if choice == 0:
            del pieces[at]
        elif choice == 1:
            pieces.insert(at, pieces[at])
        elif choice == 2:
            other = rng.randrange(len(pieces))
            pieces[at], pieces[other] = pieces[other], pieces[at]
        elif choice == 3:
            pieces.insert(at, rng.choice(JUNK))
        elif choice == 4:
            pieces.insert(
                at, "".join(chr(rng.randrange(1, 0x2FFFF)) for _ in range(rng.randint(1, 4)))
            )
        elif choice == 5:
            pieces = pieces[:at]
        else:
            depth = rng.choice([3, 50, 250, 5_000])
            bracket = rng.choice(["{}", "()", "[]"])
            pieces.insert(at, bracket[0] * depth + bracket[1] * depth * rng.randint(0, 1))
        query = "".join(pieces)
    return query


@dataclass(frozen=True)
class Call:
    """One request: enough to replay it."""

    method: str
    path: str
    body: bytes
    headers: dict[str, str]

    def __str__(self) -> str:
        return f"{self.method} {self.path[:200]!r} body={self.body[:200]!r} headers={self.headers}"


def calls(rng: random.Random) -> Iterator[Call]:
    seeds = seed_queries()
    for _ in range(REQUESTS):
        query = mutate(rng.choice(seeds), rng) if rng.random() < 0.9 else rng.choice(seeds)
        headers = {"Accept": rng.choice(ACCEPTS)}
        way = rng.randrange(3)
        if way == 0:
            path = "/sparql?" + urllib.parse.urlencode({"query": query}, errors="surrogatepass")
            yield Call("GET", path, b"", headers)
            continue
        body = query.encode("utf-8", "surrogatepass")
        if way == 1:
            body = urllib.parse.urlencode({"query": query}, errors="surrogatepass").encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            headers["Content-Type"] = rng.choice(CONTENT_TYPES)
        if rng.random() < 0.1:
            body = body[: rng.randrange(len(body) + 1)]  # a body cut short of its end
        yield Call("POST", "/sparql", body, headers)


@pytest.fixture(scope="module")
def fuzz_server() -> Iterator[LiveServer]:
    """The one server the fuzzing runs against: gunicorn, the default."""
    server = start_server(
        "--data", str(DATA), "--workers", "2", "--threads", "4", "--timeout", "10"
    )
    yield server
    stop_server(server)


def _send(server: LiveServer, call: Call) -> int:
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=CLIENT_TIMEOUT)
    try:
        headers = {k: v for k, v in call.headers.items() if v}
        connection.request(call.method, call.path, body=call.body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_fuzzed_requests_get_no_5xx_and_no_hang(fuzz_server: LiveServer) -> None:
    rng = random.Random(SEED)  # noqa: S311 (reproducible test input, not a secret)
    failures: list[str] = []
    statuses: dict[int, int] = {}
    for number, call in enumerate(calls(rng)):
        try:
            status = _send(fuzz_server, call)
        except TimeoutError:
            failures.append(f"#{number} hung: {call}")
            continue
        except (OSError, http.client.HTTPException) as error:  # a worker died mid-answer
            failures.append(f"#{number} connection broken ({error!r}): {call}")
            continue
        statuses[status] = statuses.get(status, 0) + 1
        if status >= 500:
            failures.append(f"#{number} {status}: {call}")
    print(f"statuses of {REQUESTS} fuzzed requests: {dict(sorted(statuses.items()))}")
    assert fuzz_server.process.poll() is None
    assert not failures, "\n".join(failures[:10])
    assert sum(statuses.values()) == REQUESTS
    assert statuses.get(400, 0) > REQUESTS // 10  # the mutations do reach the parser
    assert statuses.get(200, 0) > REQUESTS // 20  # and some still parse
