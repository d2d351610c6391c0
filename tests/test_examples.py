"""The query page's examples are the competency questions, also after a plain install."""

from __future__ import annotations

from pathlib import Path

from nkgraph.pages.example_queries import BUILTIN, example_queries

COMPETENCY = Path(__file__).parent / "competency"


def test_examples_are_the_shipped_competency_questions() -> None:
    examples = example_queries()
    assert [e.name for e in examples] == sorted(p.stem for p in COMPETENCY.glob("*.rq")) + sorted(
        p.stem for p in COMPETENCY.glob("federated/*.rq")
    )
    assert examples[0].title.startswith("1. How many people had fled to Armenia")
    assert examples[0].text == (COMPETENCY / f"{examples[0].name}.rq").read_text(encoding="utf-8")


def test_a_folder_without_queries_gives_the_builtin_examples(tmp_path: Path) -> None:
    assert example_queries(tmp_path) == BUILTIN


def test_federated_examples_are_listed_and_allowed() -> None:
    from nkgraph.config import Settings
    from nkgraph.sparql.engine import check_syntax
    from nkgraph.sparql.prepare import check_services, prepare

    federated = [q for q in example_queries() if "Federated" in q.title]
    assert len(federated) == 2
    for example in federated:
        check_syntax(example.text)
        check_services(prepare(example.text), Settings().service_allowlist)
