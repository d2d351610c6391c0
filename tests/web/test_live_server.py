"""Real clients against ``nkgraph serve`` (gunicorn, and granian for the timeout) on a free
local port."""

from __future__ import annotations

import os
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any as LiveServer  # the live_server fixture (tests/web/conftest.py)

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

pytestmark = pytest.mark.live

EX = "http://example.org/"
# The whole graph crossed with itself four times: about 10^11 solutions to count.
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_sparqlwrapper_select(live_server: LiveServer) -> None:
    client = SPARQLWrapper(live_server.endpoint)
    client.setQuery(f"SELECT ?who WHERE {{ ?who <{EX}age> ?age }} ORDER BY ?age")
    client.setReturnFormat(JSON)
    result = client.query().convert()
    assert [b["who"]["value"] for b in result["results"]["bindings"]] == [EX + "alice", EX + "bob"]  # type: ignore[index]


def test_sparqlwrapper_ask_xml_by_post(live_server: LiveServer) -> None:
    client = SPARQLWrapper(live_server.endpoint)
    client.setMethod("POST")
    client.setQuery(f"ASK {{ <{EX}alice> ?p ?o }}")
    client.setReturnFormat(XML)
    document = client.query().convert()
    assert document.getElementsByTagName("boolean")[0].firstChild.data == "true"  # type: ignore[union-attr]


def test_sparqlwrapper_construct(live_server: LiveServer) -> None:
    client = SPARQLWrapper(live_server.endpoint)
    client.setQuery(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{EX}places> {{ ?s ?p ?o }} }}")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert len(graph) == 5
    assert (URIRef(EX + "lyon"), None, Literal("Lyon", lang="fr")) in graph


def test_rdflib_sparqlstore(live_server: LiveServer) -> None:
    store = SPARQLStore(live_server.endpoint, returnFormat="json")
    graph = Graph(store=store)
    rows = list(
        graph.query(f"SELECT ?name WHERE {{ <{EX}alice> <http://xmlns.com/foaf/0.1/name> ?name }}")
    )
    assert [str(row[0]) for row in rows] == ["Alice Liddell"]  # type: ignore[index]
    assert graph.query(f"ASK {{ <{EX}paris> ?p ?o }}").askAnswer is True


def _get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _children_cpu_seconds(pid: int) -> float:
    """CPU time used so far by the child processes (the workers) of ``pid``."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _runaway_is_stopped(server: LiveServer) -> None:
    """A query over the 2 s limit is answered 503, other clients are served meanwhile,
    and its worker is replaced, so the work really stops."""
    url = server.endpoint + "?" + urllib.parse.urlencode({"query": PATHOLOGICAL})
    outcome: dict[str, object] = {}

    def runaway() -> None:
        started = time.monotonic()
        outcome["status"], outcome["body"] = _get(url)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    status, _ = _get(server.endpoint + "?query=ASK%7B%7D")
    assert status == 200
    assert time.monotonic() - started < 1.0
    thread.join()
    assert outcome["status"] == 503
    assert 1.9 < outcome["seconds"] < 4.0  # type: ignore[operator]  # the timeout is 2 s
    assert b"stopped after 2 s" in outcome["body"]  # type: ignore[operator]
    # The worker that ran it is replaced, so the workers soon go back to idle instead of
    # keeping a core busy.
    time.sleep(1.5)
    before = _children_cpu_seconds(server.process.pid)
    time.sleep(1.0)
    assert _children_cpu_seconds(server.process.pid) - before < 0.3
    assert _get(server.endpoint + "?query=ASK%7B%7D")[0] == 200


def test_pathological_query_is_stopped(live_server: LiveServer) -> None:
    _runaway_is_stopped(live_server)


def test_runaways_in_a_row_keep_granian_up(granian_server: LiveServer) -> None:
    # granian ends the whole server when a respawned worker exits again within seconds;
    # replacing workers by a reload, as nkgraph does, must not trip that guard.
    for _ in range(2):
        _runaway_is_stopped(granian_server)
    assert granian_server.process.poll() is None
