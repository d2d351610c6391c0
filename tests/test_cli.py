"""The command line: exit codes, report formats, errors without tracebacks."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH

from nkgraph import __version__
from nkgraph.cli.commands import exit_code, main
from nkgraph.errors import (
    ConfigurationError,
    DataLoadError,
    InstallationError,
    NkGraphError,
    ShapesError,
)
from nkgraph.model import loading as graph
from nkgraph.model.resources import ResourcePaths


def run(runner: CliRunner, test_data: Path, *args: str) -> Result:
    """``nkgraph validate ARGS`` against the fixture ontology and shapes."""
    options = [
        "--ontology",
        str(test_data / "ontology.ttl"),
        "--shapes",
        str(test_data / "shapes.ttl"),
    ]
    return runner.invoke(main, ["validate", *options, *args])


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.stdout


def test_help_lists_validate(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "validate" in result.stdout


@pytest.mark.parametrize(
    ("files", "code"),
    [
        pytest.param(["valid.trig"], 0, id="conforms"),
        pytest.param(["warning.ttl"], 0, id="conforms-with-warning"),
        pytest.param(["invalid.ttl"], 1, id="does-not-conform"),
        pytest.param(["valid.trig", "invalid.ttl"], 1, id="one-file-of-two-does-not-conform"),
        pytest.param(["broken.ttl"], 2, id="unparsable"),
        pytest.param(["missing.ttl"], 2, id="missing"),
        pytest.param(["valid.trig", "../conftest.py"], 2, id="not-rdf"),
    ],
)
def test_exit_code(runner: CliRunner, test_data: Path, files: list[str], code: int) -> None:
    result = run(runner, test_data, *(str(test_data / name) for name in files))
    assert result.exit_code == code, result.output


def test_unparsable_input_names_file_line_and_problem(runner: CliRunner, test_data: Path) -> None:
    result = run(runner, test_data, str(test_data / "broken.ttl"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{test_data / 'broken.ttl'}, line 4" in result.stderr
    assert "newline found in string literal" in result.stderr
    assert "Traceback" not in result.stderr


def test_unusable_shapes_exit_2(runner: CliRunner, test_data: Path, tmp_path: Path) -> None:
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass <http://example.org/test#Person> ;\n"
        '    sh:property [ sh:path <urn:p> ; sh:minCount "many" ] .\n'
    )
    result = runner.invoke(
        main,
        [
            "validate",
            "--ontology",
            str(test_data / "ontology.ttl"),
            "--shapes",
            str(shapes),
            str(test_data / "valid.trig"),
        ],
    )
    assert result.exit_code == 2
    assert "minCount" in result.stderr


def test_ill_typed_literal_warns_without_traceback(
    runner: CliRunner, test_data: Path, tmp_path: Path
) -> None:
    data = tmp_path / "typed.ttl"
    data.write_text(
        "@prefix ex: <http://example.org/test#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        'ex:x ex:value "six"^^xsd:integer .\n'
    )
    result = run(runner, test_data, str(data))
    assert result.exit_code == 0
    assert "Traceback" not in result.stderr


def test_text_report(runner: CliRunner, test_data: Path) -> None:
    result = run(runner, test_data, str(test_data / "invalid.ttl"))
    lines = result.stdout.splitlines()
    assert lines[0] == "Does not conform: 3 violations, 1 warning."
    assert (
        "  ex:spokesperson ex:name: An agent needs a name, as a string.  [ex:AgentShape]" in lines
    )


def test_json_report(runner: CliRunner, test_data: Path) -> None:
    result = run(runner, test_data, "--format", "json", str(test_data / "invalid.ttl"))
    report = json.loads(result.stdout)
    assert report["conforms"] is False
    assert report["counts"] == {"Violation": 3, "Warning": 1, "Info": 0}
    first = report["results"][0]
    assert list(first) == [
        "severity",
        "focusNode",
        "resultPath",
        "value",
        "message",
        "sourceShape",
        "namedShape",
        "sourceConstraintComponent",
    ]
    assert first["focusNode"] == {"type": "uri", "value": "http://example.org/test#spokesperson"}
    assert first["resultPath"] == "<http://example.org/test#name>"


@pytest.mark.parametrize(("name", "conforms"), [("valid.trig", True), ("invalid.ttl", False)])
def test_turtle_report(runner: CliRunner, test_data: Path, name: str, conforms: bool) -> None:
    result = run(runner, test_data, "--format", "turtle", str(test_data / name))
    report = Graph().parse(data=result.stdout, format="turtle")
    node = report.value(predicate=RDF.type, object=SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(conforms)


def test_no_paths_means_the_shipped_data(
    runner: CliRunner, test_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = ResourcePaths(tmp_path)
    shipped.ontology_dir.mkdir()
    shipped.data_dir.mkdir()
    shutil.copy(test_data / "ontology.ttl", shipped.ontology)
    shutil.copy(test_data / "shapes.ttl", shipped.shapes)
    shutil.copy(test_data / "invalid.ttl", shipped.data_dir / "invalid.trig")
    monkeypatch.setattr(graph, "shipped", lambda: shipped)

    result = runner.invoke(main, ["validate", "--format", "json"])

    assert result.exit_code == 1
    assert json.loads(result.stdout)["counts"]["Violation"] == 3


def test_missing_installation_exits_3(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    def nowhere() -> ResourcePaths:
        raise FileNotFoundError("nkgraph's ontology and data were not found")

    monkeypatch.setattr(graph, "shipped", nowhere)
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 3
    assert "not found" in result.stderr


@pytest.mark.parametrize(
    ("error", "code"),
    [
        pytest.param(DataLoadError(Path("x.ttl"), "bad"), 2, id="data-load"),
        pytest.param(ShapesError("bad"), 2, id="shapes"),
        pytest.param(InstallationError("gone"), 3, id="installation"),
        pytest.param(ConfigurationError("wrong"), 3, id="configuration"),
        pytest.param(NkGraphError("other"), 3, id="base"),
    ],
)
def test_exit_code_table(error: NkGraphError, code: int) -> None:
    assert exit_code(error) == code


def test_report_format_names_are_the_report_formats() -> None:
    from nkgraph.cli.commands import REPORT_FORMAT_NAMES
    from nkgraph.validation.report_writers import REPORT_FORMATS

    assert tuple(REPORT_FORMATS) == REPORT_FORMAT_NAMES


def test_serve_does_not_import_pyshacl() -> None:
    # ``nkgraph serve --data`` starts faster without it (the W3C suite starts 88 servers).
    code = "import sys, nkgraph.cli.commands\nprint('pyshacl' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
