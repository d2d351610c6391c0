"""The synthetic data generator: deterministic, and the shipped shapes pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nkgraph.cli.commands import main
from nkgraph.model.loading import load_dataset
from nkgraph.model.synthetic import synthetic_quads, write_synthetic
from nkgraph.validation.report_writers import render_text
from nkgraph.validation.shacl import validate


# Nine articles hold the first round duration ("20 days", unhedged, not exact).
@pytest.mark.parametrize("articles", [1, 3, 9], ids=["one-article", "three-articles", "nine"])
def test_synthetic_articles_conform_to_the_shipped_shapes(tmp_path: Path, articles: int) -> None:
    path = tmp_path / "synthetic.nq"
    write_synthetic(path, articles)
    report = validate(load_dataset([path]))
    assert report.conforms, render_text(report)


def test_generation_is_deterministic() -> None:
    assert list(synthetic_quads(2)) == list(synthetic_quads(2))
    assert list(synthetic_quads(2, seed=1)) != list(synthetic_quads(2))


def test_size_grows_with_the_articles() -> None:
    one, ten = sum(1 for _ in synthetic_quads(1)), sum(1 for _ in synthetic_quads(10))
    assert 400 * 9 < ten - one < 700 * 9


@pytest.mark.parametrize("suffix", [".nq", ".trig"])
def test_cli_writes_a_file_that_loads(runner: CliRunner, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"out{suffix}"
    result = runner.invoke(main, ["synth", "--articles", "2", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert len(load_dataset([path])) > 1000


def test_cli_refuses_another_extension(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["synth", "-o", str(tmp_path / "out.ttl")])
    assert result.exit_code == 2
    assert ".nq or .trig" in result.output
