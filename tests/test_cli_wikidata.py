"""``nkgraph wikidata check | suggest | snapshot`` against the local Wikidata stand-in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset
from standin import Reply, StandIn, item

from nkgraph.cli.commands import main
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.validation.shacl import validate
from nkgraph.vocab import GRAPHS
from nkgraph.wikidata.links import LinkMethod, read_links

LINKS = shipped().data_dir / "karabakh-exodus-2023-wikidata.trig"


@pytest.fixture(scope="module")
def shipped_links() -> Dataset:
    return load_dataset()


@pytest.fixture
def env(standin: StandIn) -> dict[str, str]:
    return {
        "NKGRAPH_WIKIDATA_API_URL": standin.api_url,
        "NKGRAPH_WIKIDATA_SPARQL_URL": standin.sparql_url,
        "NKGRAPH_WIKIDATA_MIN_INTERVAL": "0",
    }


def serve_records(standin: StandIn, dataset: Dataset) -> None:
    """The stand-in answers every linked item as the records describe it."""
    for record in read_links(dataset):
        standin.items[record.item] = item(record.item, record.label, record.description)


def test_check_all_hold(
    runner: CliRunner, standin: StandIn, env: dict[str, str], shipped_links: Dataset
) -> None:
    serve_records(standin, shipped_links)
    result = runner.invoke(main, ["wikidata", "check"], env=env)
    assert result.exit_code == 0, result.output
    assert (
        f"{len(read_links(shipped_links))} of {len(read_links(shipped_links))} links hold"
        in result.output
    )


def test_check_reports_each_problem(
    runner: CliRunner, standin: StandIn, env: dict[str, str], shipped_links: Dataset
) -> None:
    serve_records(standin, shipped_links)
    standin.items["Q43"] = item("Q43", "Türkiye", "country in Western Asia")
    del standin.items["Q918"]  # deleted
    standin.items["Q9"] = item("Q9", "Nikol Pashinyan")
    standin.redirects["Q7035479"] = "Q9"  # merged
    standin.items["Q399"] = item(
        "Q399", "Armenia", standin.items["Q399"]["descriptions"]["en"]["value"], "Q5"
    )
    result = runner.invoke(main, ["wikidata", "check"], env=env)
    assert result.exit_code == 1
    for words in (
        "label differs: recorded 'Turkey', Wikidata 'Türkiye'",
        "description differs",
        "missing or deleted",
        "Q7035479 now redirects to Q9",
        "type does not fit: instance of Q5",
    ):
        assert words in result.output


def test_check_offline_exits_4(runner: CliRunner, env: dict[str, str]) -> None:
    env = {**env, "NKGRAPH_WIKIDATA_API_URL": "http://127.0.0.1:9/w/api.php"}
    result = runner.invoke(main, ["wikidata", "check"], env=env)
    assert result.exit_code == 4
    assert "cannot be reached" in result.output


def test_suggest_ranks_candidates(runner: CliRunner, standin: StandIn, env: dict[str, str]) -> None:
    standin.searches["Antony Blinken"] = [
        {"id": "Q100", "label": "Antony Blinken", "description": "American diplomat"},
        {"id": "Q101", "label": "Antony Blinken", "description": "another person"},
    ]
    result = runner.invoke(main, ["wikidata", "suggest", "antony-blinken"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("https://w3id.org/nkgraph/id/antony-blinken")
    assert lines[1:3] == [
        "  1. Q100  Antony Blinken: American diplomat",
        "  2. Q101  Antony Blinken: another person",
    ]


def test_suggest_accept_writes_a_valid_link(
    runner: CliRunner, standin: StandIn, env: dict[str, str], tmp_path: Path
) -> None:
    links = tmp_path / "links.trig"
    shutil.copy(LINKS, links)
    standin.items["Q100"] = item("Q100", "Antony Blinken", "American diplomat", "Q5")
    result = runner.invoke(
        main,
        ["wikidata", "suggest", "--links", str(links), "--accept", "antony-blinken=Q100"],
        env=env,
    )
    assert result.exit_code == 0, result.output
    others = [p for p in shipped().data_files() if p.name != LINKS.name]
    dataset = load_dataset([*others, links])
    record = next(r for r in read_links(dataset) if r.item == "Q100")
    assert (record.label, record.description, record.method) == (
        "Antony Blinken",
        "American diplomat",
        LinkMethod.CONFIRMED_SEARCH_CANDIDATE,
    )
    assert validate(dataset).conforms


@pytest.mark.parametrize(
    ("accept", "words"),
    [
        ("armenian-officials=Q1", "cannot be linked"),
        ("karabakh-exodus-2023/st-fled-to-armenia=Q1", "cannot be linked"),
        ("armenia=Q1", "already linked"),
        ("antony-blinken=Q404", "is missing"),
    ],
)
def test_suggest_accept_refuses(
    runner: CliRunner,
    standin: StandIn,
    env: dict[str, str],
    tmp_path: Path,
    accept: str,
    words: str,
) -> None:
    links = tmp_path / "links.trig"
    shutil.copy(LINKS, links)
    result = runner.invoke(
        main, ["wikidata", "suggest", "--links", str(links), "--accept", accept], env=env
    )
    assert result.exit_code != 0
    assert words in result.output
    assert links.read_bytes() == LINKS.read_bytes()


def test_snapshot(runner: CliRunner, standin: StandIn, env: dict[str, str], tmp_path: Path) -> None:
    nt = (
        "<http://www.wikidata.org/entity/Q399> <http://www.wikidata.org/prop/direct/P1082> "
        '"2930450"^^<http://www.w3.org/2001/XMLSchema#decimal> .\n'
    )
    standin.sparql.append(Reply(200, nt, "application/n-triples"))
    out = tmp_path / "snapshot.trig"
    result = runner.invoke(main, ["wikidata", "snapshot", "--output", str(out)], env=env)
    assert result.exit_code == 0, result.output
    dataset = Dataset().parse(out, format="trig")
    graph = dataset.graph(GRAPHS.WIKIDATA_SNAPSHOT)
    assert len(graph) == 3  # the fact, the retrieval date and the source
    assert "VALUES ?item" in standin.requests[0].params["query"]


def test_snapshot_offline_fails_clearly(
    runner: CliRunner, env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, "NKGRAPH_WIKIDATA_SPARQL_URL": "http://127.0.0.1:9/sparql"}
    out = tmp_path / "snapshot.trig"
    result = runner.invoke(main, ["wikidata", "snapshot", "--output", str(out)], env=env)
    assert result.exit_code == 4 and "cannot be reached" in result.output
    assert not out.exists()
