"""`nkgraph check-text`: the shipped graph agrees with its text letter by letter, and a copy
broken in one place is caught there, with a message that names the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset

from nkgraph.cli.commands import main
from nkgraph.errors import TextError
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.validation.text_check import TextProblem, check_text, render_text_report
from nkgraph.vocab import PREFIXES

ARTICLE = shipped().article_text.read_text(encoding="utf-8")
SENTENCE_9 = ARTICLE[ARTICLE.index("Following the attack") : ARTICLE.index("blockade of vehicular")]


def removed(pattern: str) -> str:
    """An update that removes what ``pattern`` (in some named graph) matches."""
    return f"DELETE {{ GRAPH ?g {{ {pattern} }} }} WHERE {{ GRAPH ?g {{ {pattern} }} }}"


def changed(update: str) -> Dataset:
    """The shipped dataset with one SPARQL Update applied."""
    dataset = load_dataset()
    dataset.update(update, initNs=PREFIXES)
    return dataset


def problems(dataset: Dataset, rule: str) -> list[TextProblem]:
    return [p for p in check_text(dataset).problems if p.rule == rule]


def test_the_shipped_graph_agrees_with_its_text() -> None:
    report = check_text(load_dataset())
    assert report.ok, render_text_report(report)
    assert report.units == 24  # 11 lines and 13 sentences
    assert report.anchors > 150
    assert "no problem" in render_text_report(report)


def test_a_changed_offset_is_caught() -> None:
    begin = ARTICLE.index("100,437")
    dataset = changed(
        f"""DELETE {{ GRAPH ?g {{ art:fig-fled-to-armenia nif:beginIndex ?b }} }}
            INSERT {{ GRAPH ?g {{ art:fig-fled-to-armenia nif:beginIndex {begin + 1} }} }}
            WHERE {{ GRAPH ?g {{ art:fig-fled-to-armenia nif:beginIndex ?b }} }}"""
    )
    found = problems(dataset, "offsets")
    assert [p.focus for p in found] == ["art:fig-fled-to-armenia"]
    assert f"{begin + 1}-{begin + 7} give '00,437', not the stored words '100,437'" in (
        found[0].message
    )


def test_a_straightened_quotation_mark_is_caught() -> None:
    straight = (
        "reaffirmed U.S. support for Armenia's sovereignty, independence and territorial integrity"
    )
    dataset = changed(
        f"""DELETE {{ GRAPH ?g {{ art:q-us-support oa:exact ?words }} }}
            INSERT {{ GRAPH ?g {{ art:q-us-support oa:exact "{straight}" }} }}
            WHERE {{ GRAPH ?g {{ art:q-us-support oa:exact ?words }} }}"""
    )
    found = problems(dataset, "quotation")
    assert [p.focus for p in found] == ["art:q-us-support"]
    assert f"\u201c{straight}\u201d is not verbatim in its unit" in found[0].message
    # Its offsets still hold the printed words, with the curly apostrophe.
    assert any("Armenia\u2019s" in p.message for p in problems(dataset, "offsets"))


def test_a_removed_repeated_mention_is_caught() -> None:
    second = ARTICLE.index("the attack", ARTICLE.index("the attack", ARTICLE.index(SENTENCE_9)) + 1)
    assert SENTENCE_9.count("the attack") == 2
    dataset = changed(
        f"""DELETE {{ GRAPH ?g {{ ?entity nk:mention ?m . ?m ?p ?o }} }}
            WHERE {{ GRAPH ?g {{ ?entity nk:mention ?m . ?m nif:beginIndex {second} ; ?p ?o }} }}"""
    )
    found = problems(dataset, "mention")
    assert [p.focus for p in found] == ["id:azerbaijani-offensive-2023"]
    assert f"'the attack' at {second}-{second + 10} in art:s9" in found[0].message
    assert "no mention of it covers these words" in found[0].message


def test_a_reviewed_non_mention_is_what_keeps_an_occurrence_out() -> None:
    dataset = changed(removed("id:nagorno-karabakh nk:nonMention ?n . ?n ?p ?o"))
    found = problems(dataset, "mention")
    assert [(p.focus, "'region'" in p.message and "art:s6" in p.message) for p in found] == [
        ("id:nagorno-karabakh", True)
    ]


def test_a_sentence_without_statement_needs_its_reason() -> None:
    without = removed("?st nk:evidence art:s13 ; ?p ?o")
    assert [p.focus for p in problems(changed(without), "evidence")] == ["art:s13"]
    reason = (
        "INSERT DATA { GRAPH graph:karabakh-exodus-2023 "
        '{ art:s13 nk:noStatementBecause "a link" } }'
    )
    assert problems(changed(f"{without} ;\n{reason}"), "evidence") == []
    assert [p.focus for p in problems(changed(reason), "evidence")] == ["art:s13"]


def test_a_mention_without_offsets_is_caught() -> None:
    dataset = changed(removed("id:reuters nk:mention ?m . ?m nif:beginIndex ?b ; nif:endIndex ?e"))
    found = problems(dataset, "unanchored")
    assert [p.message for p in found] == [
        "'Reuters' has no nif:beginIndex and nif:endIndex; generate them with "
        "`nkgraph anchors --write`"
    ]


def test_data_without_an_article_text_is_an_error(test_data: Path) -> None:
    with pytest.raises(TextError, match="no text unit"):
        check_text(load_dataset([shipped().data_dir / "karabakh-exodus-2023-resolved.trig"]))


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(shipped().data_dir, copy)
    return copy


def test_cli_exit_status_zero_on_the_shipped_graph(runner: CliRunner) -> None:
    result = runner.invoke(main, ["check-text"])
    assert result.exit_code == 0, result.output
    assert "no problem" in result.output


def test_cli_exit_status_one_lists_the_problem(runner: CliRunner, data_copy: Path) -> None:
    anchors = data_copy / shipped().anchors.name
    begin = ARTICLE.index("100,437")
    text = anchors.read_text(encoding="utf-8")
    assert text.count(f"nif:beginIndex {begin} ;") == 1
    anchors.write_text(text.replace(f"nif:beginIndex {begin} ;", f"nif:beginIndex {begin - 1} ;"))
    result = runner.invoke(main, ["check-text", str(data_copy)])
    assert result.exit_code == 1
    assert "offsets: art:fig-fled-to-armenia: the offsets" in result.output


def test_cli_exit_status_two_without_article_text(runner: CliRunner, data_copy: Path) -> None:
    result = runner.invoke(
        main, ["check-text", str(data_copy / "karabakh-exodus-2023-resolved.trig")]
    )
    assert result.exit_code == 2
    assert "no text unit" in result.output


def test_cli_anchors_prints_the_shipped_layer(runner: CliRunner) -> None:
    result = runner.invoke(main, ["anchors"])
    assert result.exit_code == 0
    generated, shipped_layer = Dataset(), Dataset()
    generated.parse(data=result.output, format="trig")
    shipped_layer.parse(shipped().anchors, format="trig")
    assert len(generated) == len(shipped_layer) > 1000


def test_cli_anchors_refuses_words_not_in_their_unit(runner: CliRunner, data_copy: Path) -> None:
    hand = data_copy / "karabakh-exodus-2023.trig"
    text = hand.read_text(encoding="utf-8")
    hand.write_text(text.replace('nk:surfaceForm "Reuters"', 'nk:surfaceForm "Reuter"'))
    result = runner.invoke(main, ["anchors", str(data_copy)])
    assert result.exit_code == 2
    assert "the words 'Reuter' are not in" in result.output
