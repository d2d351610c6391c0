"""Curator.commit: a write is committed whole, durably, or refused and nothing changes."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest

from nkgraph.config import Settings
from nkgraph.curation.commit import Curator, version_at, version_etag
from nkgraph.curation.patch import Patch
from nkgraph.curation.staging import patch_for_update
from nkgraph.errors import (
    ConfigurationError,
    PreconditionFailed,
    QuerySyntaxError,
    WriteForbidden,
    WriterBusy,
    WriteRejected,
)
from nkgraph.sparql.engine import Engine
from nkgraph.sparql.prepare import prepare
from nkgraph.sparql.store import build_store, journal_path
from tests.curation.conftest import EX, GRAPH, WholeDataGate, open_curator

PREFIX = f"PREFIX ex: <{EX}>\n"
GOOD = PREFIX + 'INSERT DATA { GRAPH ex:graph { ex:tymoshenko a ex:Person ; ex:name "Y" } }'
# A person without a name breaks ex:AgentShape (through rdfs:subClassOf in the ontology).
BAD = PREFIX + "INSERT DATA { GRAPH ex:graph { ex:nobody a ex:Person } }"
ASK_GOOD = prepare(PREFIX + "ASK { GRAPH ?g { ex:tymoshenko ex:name ?n } }")
ASK_BAD = prepare(PREFIX + "ASK { GRAPH ?g { ex:nobody a ex:Person } }")


def _update(text: str):  # type: ignore[no-untyped-def]
    return lambda store: patch_for_update(store, text)


def _ask(curator: Curator, query: object) -> bool:
    result = curator.engine.run(query, timeout=10, max_rows=1)  # type: ignore[arg-type]
    return bool(result.boolean)


def test_a_conforming_write_is_committed(curator: Curator) -> None:
    base = curator.version
    entry = curator.commit(_update(GOOD), agent="curator", request=GOOD)
    assert (entry.number, entry.agent, entry.request) == (1, "curator", GOOD)
    assert (entry.version_before, entry.version_after) == (base, f"{base}+1")
    assert len(entry.patch.added) == 2
    assert curator.version == curator.engine.version == f"{base}+1"
    assert curator.journal.read(1) == entry
    assert _ask(curator, ASK_GOOD)


def test_a_write_that_breaks_a_shape_changes_nothing(curator: Curator) -> None:
    base = curator.version
    with pytest.raises(WriteRejected) as caught:
        curator.commit(_update(BAD), agent="curator", request=BAD)
    assert "ex:nobody" not in caught.value.summary
    assert f"<{EX}nobody>" in caught.value.summary
    assert "An agent needs a name" in caught.value.summary
    assert not caught.value.report.conforms  # type: ignore[attr-defined]
    assert curator.journal.head() == 0
    assert curator.version == curator.engine.version == base
    assert not _ask(curator, ASK_BAD)


@pytest.mark.parametrize(
    ("header", "matches"),
    [
        pytest.param(lambda v: version_etag(v), True, id="current"),
        pytest.param(lambda v: f'"other", {version_etag(v)}', True, id="in-a-list"),
        pytest.param(lambda v: "*", True, id="any"),
        pytest.param(lambda v: version_etag(v + "+9"), False, id="stale"),
        pytest.param(lambda v: "W/" + version_etag(v), False, id="weak"),
    ],
)
def test_if_match(curator: Curator, header, matches: bool) -> None:  # type: ignore[no-untyped-def]
    if_match = header(curator.version)
    if matches:
        curator.commit(_update(GOOD), agent="a", request="r", if_match=if_match)
        assert curator.journal.head() == 1
    else:
        with pytest.raises(PreconditionFailed):
            curator.commit(_update(GOOD), agent="a", request="r", if_match=if_match)
        assert curator.journal.head() == 0


def test_a_lost_update_is_refused(curator: Curator, write_settings: Settings) -> None:
    """Two curators read the same version; the second to write is told it changed."""
    other = open_curator(write_settings)
    read_by_both = version_etag(curator.version)
    curator.commit(_update(GOOD), agent="first", request="r", if_match=read_by_both)
    with pytest.raises(PreconditionFailed):
        other.commit(_update(GOOD), agent="second", request="r", if_match=read_by_both)
    assert other.version == curator.version  # it caught up before it compared


def test_authorise_sees_the_graphs_and_can_refuse(curator: Curator) -> None:
    seen: list[frozenset[str]] = []

    def refuse(graphs: frozenset[str]) -> None:
        seen.append(graphs)
        raise WriteForbidden("reader", "may not write")

    with pytest.raises(WriteForbidden):
        curator.commit(_update(GOOD), agent="reader", request="r", authorise=refuse)
    assert seen == [frozenset({GRAPH.value})]
    assert curator.journal.head() == 0
    assert not _ask(curator, ASK_GOOD)


def test_a_request_that_does_not_parse_changes_nothing(curator: Curator) -> None:
    with pytest.raises(QuerySyntaxError):
        curator.commit(_update("INSERT DATA { ex:x"), agent="a", request="r")
    assert curator.journal.head() == 0


def test_derived_changes_are_committed_with_the_patch(write_settings: Settings) -> None:
    derived = ox.Quad(ox.NamedNode(EX + "tymoshenko"), ox.NamedNode(EX + "seen"), ox.Literal("1"))

    class Deriving(WholeDataGate):
        def derived(self, store: ox.Store, patch: Patch) -> Patch:
            return Patch(added=(derived,))

    from nkgraph.sparql.opening import open_engine

    curator = Curator.open(write_settings, open_engine(write_settings), gate=Deriving())  # type: ignore[arg-type]
    entry = curator.commit(_update(GOOD), agent="a", request="r")
    assert derived in entry.patch.added
    assert derived in curator.engine.store


def test_every_process_sees_every_commit(curator: Curator, write_settings: Settings) -> None:
    other = open_curator(write_settings)
    curator.commit(_update(GOOD), agent="a", request="r")
    assert other.version != curator.version
    assert other.refresh() == 1
    assert other.refresh() == 0
    assert other.version == other.engine.version == curator.version
    assert _ask(other, ASK_GOOD)
    assert other.entries == curator.entries  # what /history lists, without re-reading
    assert [e.number for e in other.entries] == [1]


def test_reopening_replays_the_journal(curator: Curator, write_settings: Settings) -> None:
    curator.commit(_update(GOOD), agent="a", request="r")
    curator.commit(
        _update(
            PREFIX + 'DELETE DATA { GRAPH ex:graph { ex:tymoshenko ex:name "Y" } } ;'
            ' INSERT DATA { GRAPH ex:graph { ex:tymoshenko ex:name "Yulia" } }'
        ),
        agent="a",
        request="r",
    )
    reopened = open_curator(write_settings)
    assert reopened.version == version_at(curator.base_version, 2) == curator.version
    assert set(reopened.engine.store) == set(curator.engine.store)
    assert reopened.entries == tuple(curator.journal.entries())


def test_one_writer_at_a_time(curator: Curator) -> None:
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with curator.journal.writer(5):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(10)
        with pytest.raises(WriterBusy):
            curator.commit(_update(GOOD), agent="a", request="r")
    finally:
        release.set()
        holder.join()
    assert curator.journal.head() == 0


def test_concurrent_commits_are_serialised(curator: Curator) -> None:
    curator.wait = 30
    errors: list[BaseException] = []

    def write(i: int) -> None:
        text = (
            PREFIX + f'INSERT DATA {{ GRAPH ex:graph {{ ex:p{i} a ex:Person ; ex:name "{i}" }} }}'
        )
        try:
            curator.commit(_update(text), agent=f"w{i}", request=text)
        except BaseException as error:
            errors.append(error)

    writers = [threading.Thread(target=write, args=(i,)) for i in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert not errors
    entries = list(curator.journal.entries())
    assert [e.number for e in entries] == [1, 2, 3, 4]
    assert [e.version_before for e in entries[1:]] == [e.version_after for e in entries[:-1]]
    assert curator.version == entries[-1].version_after


def test_a_load_keeps_committed_writes_unless_told(curator: Curator, store_dir: Path) -> None:
    curator.commit(_update(GOOD), agent="a", request="r")
    valid = Path(__file__).parents[1] / "data" / "valid.trig"
    with pytest.raises(ConfigurationError, match=r"1 committed write\(s\).*--replace-history"):
        build_store([valid], store_dir, validate=False)
    assert curator.journal.has(1)
    info = build_store([valid], store_dir, validate=False, replace_history=True)
    assert not journal_path(store_dir, info.version).exists()
    build_store([valid], store_dir, validate=False)  # the new store has no history yet


def test_the_shipped_gate_guards_the_shipped_graph(tmp_path: Path) -> None:
    """Curator.open's own gate: the shipped shapes, on a store of the shipped graph."""
    settings = Settings(store=tmp_path / "shipped", writes=True)
    build_store(None, tmp_path / "shipped", validate=False)
    from nkgraph.sparql.opening import open_engine

    engine = open_engine(settings)
    assert isinstance(engine, Engine)
    curator = Curator.open(settings, engine)
    person = (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> PREFIX schema: <http://schema.org/>\n"
        "INSERT DATA { GRAPH <https://w3id.org/nkgraph/graph/curated> {"
        " <https://w3id.org/nkgraph/id/new-person> a foaf:Person %s } }"
    )
    with pytest.raises(WriteRejected, match="A person needs a schema:name"):
        curator.commit(_update(person % ""), agent="a", request="r")
    entry = curator.commit(_update(person % '; schema:name "A. Person"'), agent="a", request="r")
    assert entry.number == 1
    assert len(entry.patch.added) == 2
