"""Settings: defaults, NKGRAPH_* variables, overrides, and docs/settings.md documents them all."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError

SETTINGS_DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)
    assert settings.query_timeout == 30.0
    assert settings.cors_origins == ("*",)
    assert settings.service_allowlist == ("https://query.wikidata.org/sparql",)
    assert settings.data == ()
    assert (settings.union_default_graph, settings.with_ontology, settings.truthy) == (
        None,
        False,
        True,
    )


@pytest.mark.parametrize(
    ("variable", "value", "field", "expected"),
    [
        ("NKGRAPH_PORT", "9000", "port", 9000),
        ("NKGRAPH_QUERY_TIMEOUT", "2.5", "query_timeout", 2.5),
        ("NKGRAPH_DATA", "a.trig:b", "data", (Path("a.trig"), Path("b"))),
        ("NKGRAPH_CORS_ORIGINS", "https://a.example, https://b.example", "cors_origins", ("https://a.example", "https://b.example")),
        ("NKGRAPH_CORS_ORIGINS", "", "cors_origins", ()),
        ("NKGRAPH_SERVICE_ALLOWLIST", "https://query.wikidata.org/ https://x.example/", "service_allowlist", ("https://query.wikidata.org/", "https://x.example/")),
        ("NKGRAPH_LOG_LEVEL", "debug", "log_level", "debug"),
        ("NKGRAPH_SERVER", "granian", "server", "granian"),
        ("NKGRAPH_UNION_DEFAULT_GRAPH", "true", "union_default_graph", True),
        ("NKGRAPH_UNION_DEFAULT_GRAPH", "No", "union_default_graph", False),
        ("NKGRAPH_UNION_DEFAULT_GRAPH", "", "union_default_graph", None),
        ("NKGRAPH_WITH_ONTOLOGY", "1", "with_ontology", True),
        ("NKGRAPH_TRUTHY", "off", "truthy", False),
    ],
)  # fmt: skip
def test_from_env(variable: str, value: str, field: str, expected: object) -> None:
    assert getattr(Settings.from_env({variable: value}), field) == expected


def test_overrides_beat_environment() -> None:
    settings = Settings.from_env({"NKGRAPH_PORT": "9000"}, port=9001, host=None)
    assert settings.port == 9001
    assert settings.host == "127.0.0.1"


def test_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKGRAPH_MAX_ROWS", "12")
    assert Settings.from_env().max_rows == 12


@pytest.mark.parametrize(
    ("environ", "overrides", "words"),
    [
        ({"NKGRAPH_PORT": "eighty"}, {}, "NKGRAPH_PORT"),
        ({"NKGRAPH_PORT": "0"}, {}, "port"),
        ({}, {"query_timeout": 0}, "query_timeout"),
        ({}, {"log_level": "loud"}, "log_level"),
        ({"NKGRAPH_SERVER": "waitress"}, {}, "gunicorn or granian"),
        ({"NKGRAPH_UNION_DEFAULT_GRAPH": "maybe"}, {}, "true, false or empty"),
        (
            {"NKGRAPH_TRUTHY": "sometimes"},
            {},
            "NKGRAPH_TRUTHY='sometimes' is not a valid true or false",
        ),
        ({}, {"colour": "blue"}, "colour"),
    ],
)
def test_invalid(environ: dict[str, str], overrides: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigurationError, match=words):
        Settings.from_env(environ, **overrides)


def test_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]


@pytest.mark.parametrize("name", Settings.names())
def test_setting_is_documented(name: str) -> None:
    assert f"`{Settings.env_name(name)}`" in SETTINGS_DOC.read_text(encoding="utf-8")


LIMITS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "limits-and-errors.md"


def test_limits_page_names_real_settings() -> None:
    """Every variable the limits page names is a setting, and the new limits are there."""
    named = set(re.findall(r"NKGRAPH_[A-Z_]+", LIMITS_PAGE.read_text(encoding="utf-8")))
    assert named <= {Settings.env_name(name) for name in Settings.names()}
    assert {"NKGRAPH_MAX_NESTING", "NKGRAPH_READ_TIMEOUT", "NKGRAPH_PORT"} <= named
