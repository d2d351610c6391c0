"""The history: PROV-O for every committed transaction, and `nkgraph history`."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdfcompare import assert_isomorphic
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, VOID

from nkgraph.cli.commands import main
from nkgraph.config import Settings
from nkgraph.curation.commit import Curator
from nkgraph.curation.history import activity_iri, history_dataset
from nkgraph.curation.journal import Journal
from nkgraph.curation.patch import parse_rdf_patch
from nkgraph.curation.staging import patch_for_update
from nkgraph.sparql.prepare import prepare
from nkgraph.sparql.store import build_store, current_journal
from tests.curation.conftest import EX, open_curator

BASE = "https://w3id.org/nkgraph/"
ADD = f'PREFIX ex: <{EX}>\nINSERT DATA {{ GRAPH ex:graph {{ ex:p1 a ex:Person ; ex:name "One" }} }}'
CHANGE = (
    f'PREFIX ex: <{EX}>\nDELETE DATA {{ GRAPH ex:graph {{ ex:p1 ex:name "One" }} }} ;'
    ' INSERT DATA { GRAPH ex:graph { ex:p1 ex:name "Uno" } }'
)


@pytest.fixture
def committed(curator: Curator) -> Curator:
    """Two transactions: one by `alice`, one by `bob w/ space`."""
    curator.commit(lambda store: patch_for_update(store, ADD), agent="alice", request=ADD)
    curator.commit(
        lambda store: patch_for_update(store, CHANGE), agent="bob w/ space", request=CHANGE
    )
    return curator


def test_each_transaction_is_a_prov_activity(committed: Curator) -> None:
    history = history_dataset(committed.journal.entries(), base_iri=BASE)
    second = activity_iri(BASE, 2)
    assert (second, RDF.type, PROV.Activity) in history
    agent = history.value(second, PROV.wasAssociatedWith)
    assert agent == URIRef(BASE + "history/agent/bob%20w%2F%20space")
    assert (agent, RDF.type, PROV.Agent) in history
    assert history.value(second, DCTERMS.description) == Literal(CHANGE)
    before, after = history.value(second, PROV.used), committed.version
    assert str(before).endswith("+1")
    generated = set(history.objects(second, PROV.generated))
    assert URIRef(f"{BASE}history/version/{after}") in generated
    added = URIRef(f"{second}/added")
    assert added in generated
    assert history.value(added, VOID.triples) == Literal(1)
    removed = history.value(second, PROV.invalidated)
    assert history.value(removed, VOID.triples) == Literal(1)
    assert (URIRef(f"{BASE}history/version/{after}"), PROV.wasRevisionOf, before) in history
    started = history.value(second, PROV.startedAtTime)
    assert started.toPython().tzinfo is not None  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["turtle", "trig", "json-ld", "xml", "nt"])
def test_the_history_parses_back_in_every_format(committed: Curator, fmt: str) -> None:
    history = history_dataset(committed.journal.entries(), base_iri=BASE)
    text = history.serialize(format=fmt)
    assert_isomorphic(Dataset().parse(data=text, format=fmt).default_graph, history.default_graph)


def test_agents_are_named_as_given(committed: Curator, store_dir: Path) -> None:
    """The history names agents by the names given, and nothing else of a request."""
    history = history_dataset(committed.journal.entries(), base_iri=BASE)
    agents = {str(o) for o in history.objects(None, PROV.wasAssociatedWith)}
    assert agents == {BASE + "history/agent/alice", BASE + "history/agent/bob%20w%2F%20space"}


def test_the_history_command_lists_transactions(committed: Curator, store_dir: Path) -> None:
    result = CliRunner().invoke(main, ["history", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    header, first, second = result.output.splitlines()
    assert header.split()[:3] == ["#", "when", "(UTC)"]
    assert first.split()[0] == "1" and "alice" in first and first.endswith("+2/-0")
    assert second.split()[0] == "2" and "bob w/ space" in second and second.endswith("+1/-1")
    assert "…" in second  # the long request is cut


def test_the_history_command_shows_one_patch(committed: Curator, store_dir: Path) -> None:
    result = CliRunner().invoke(main, ["history", "2", "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    headers, patch = parse_rdf_patch(result.output)
    assert headers["agent"].value == "bob w/ space"
    assert patch == committed.journal.read(2).patch


def test_the_history_command_writes_prov_o(committed: Curator, store_dir: Path) -> None:
    result = CliRunner().invoke(main, ["history", "--store", str(store_dir), "--format", "turtle"])
    assert result.exit_code == 0, result.output
    parsed = Dataset().parse(data=result.output, format="turtle")
    expected = history_dataset(committed.journal.entries(), base_iri=BASE)
    assert_isomorphic(parsed.default_graph, expected.default_graph)


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        pytest.param(
            ["history", "3"],
            2,
            "there is no transaction 3; the history holds transactions 1 to 2",
            id="no-such-number",
        ),
        pytest.param(["history", "0"], 2, "0 is not in the range", id="zero"),
    ],
)
def test_the_history_command_refuses(
    committed: Curator, store_dir: Path, args: list[str], code: int, message: str
) -> None:
    result = CliRunner().invoke(main, [*args, "--store", str(store_dir)])
    assert result.exit_code == code
    assert message in result.output


def test_an_empty_history(store_dir: Path) -> None:
    result = CliRunner().invoke(main, ["history", "--store", str(store_dir)])
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "(no transactions yet)"


def test_history_of_a_directory_without_a_store(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["history", "--store", str(tmp_path)])
    assert result.exit_code == 3
    assert "holds no nkgraph store" in result.output


@pytest.fixture
def figures(tmp_path: Path) -> Path:
    """A store of the suite's data with its ontology, and two transactions on the figure:
    1 raises its value to 300,000; 2 raises its lower bound to 200,000."""
    directory = tmp_path / "figures"
    data = Path(__file__).parents[1] / "data"
    build_store([data / "ontology.ttl", data / "valid.trig"], directory, validate=False)
    curator = open_curator(Settings(store=directory, writes=True))
    for old, new in (("value 100000", "value 300000"), ("lowerBound 100000", "lowerBound 200000")):
        text = (
            f"PREFIX ex: <{EX}>\nDELETE DATA {{ GRAPH ex:graph {{ ex:refugees ex:{old} }} }} ;\n"
            f"INSERT DATA {{ GRAPH ex:graph {{ ex:refugees ex:{new} }} }}"
        )
        curator.commit(lambda store, t=text: patch_for_update(store, t), agent="a", request=text)
    return directory


def _revert(directory: Path, *args: str):  # type: ignore[no-untyped-def]
    shapes = Path(__file__).parents[1] / "data" / "shapes.ttl"
    return CliRunner().invoke(
        main, ["revert", *args, "--store", str(directory), "--shapes", str(shapes)]
    )


def test_revert_commits_the_inverse_as_a_new_transaction(figures: Path) -> None:
    result = _revert(figures, "2", "--as", "editor")
    assert result.exit_code == 0, result.output
    row = result.output.splitlines()[1].split()
    assert (row[0], row[3], row[-1]) == ("3", "editor", "+1/-1")
    reopened = open_curator(Settings(store=figures, writes=True))
    third = reopened.journal.read(3)
    assert third.patch == reopened.journal.read(2).patch.inverse()
    assert third.request == "revert 2"
    bound = prepare(f"PREFIX ex: <{EX}> ASK {{ GRAPH ?g {{ ex:refugees ex:lowerBound 100000 }} }}")
    assert reopened.engine.run(bound, timeout=10, max_rows=1).boolean


def test_a_revert_that_breaks_a_shape_is_refused(figures: Path) -> None:
    """Undoing 1 would put the value (100,000) under the later lower bound (200,000)."""
    result = _revert(figures, "1")
    assert result.exit_code == 1
    assert "lower bound 200000 is above the value 100000" in result.output
    assert Journal(current_journal(figures)).head() == 2


def test_revert_of_a_missing_transaction(figures: Path) -> None:
    result = _revert(figures, "9")
    assert result.exit_code == 2
    assert "there is no transaction 9" in result.output
