"""The README's quick start is what CI runs (Datasette's test_docs.py, in small)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest


@pytest.fixture
def quick_start(checkout: Path) -> list[str]:
    """The commands of the README's quick start, one a line."""
    readme = (checkout / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the quick start has no ```sh block"
    return block.group(1).strip().splitlines()


def test_quick_start_is_two_commands(quick_start: list[str]) -> None:
    install, _ = quick_start
    assert install.startswith("pip install . && nkgraph ")


def test_ci_runs_the_readme_test_command(quick_start: list[str], checkout: Path) -> None:
    _, test_command = quick_start
    script = checkout / ".ci" / "run"
    commands = [
        line.strip()
        for line in script.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == test_command, "the README's test command is not .ci/run's last"
    assert "set -euo pipefail" in commands
    assert os.access(script, os.X_OK)


# --- The README for a first reader, and docs/ for the rest ----------------------------

CHECKOUT = Path(__file__).resolve().parents[1]
DOCS = CHECKOUT / "docs"
#: Words of the project's own making that no reader should meet.
INTERNAL = re.compile(r"\b(client|brief)\b", re.IGNORECASE)
#: Where each section of the README of before lives now: nothing lost, only moved.
MOVED = {
    "model.md": "# The model",
    "command-line.md": "# Command line",
    "service.md": "# The SPARQL service",
    "settings.md": "# Settings",
    "engine.md": "# Engine and measurements",
    "linked-data.md": "# Linked Data",
    "exports.md": "# Exports",
    "wikidata.md": "# Wikidata",
    "layout.md": "# Layout",
}


def _readme() -> str:
    return (CHECKOUT / "README.md").read_text(encoding="utf-8")


def _markdown_files() -> list[Path]:
    return [CHECKOUT / "README.md", *sorted(DOCS.glob("*.md"))]


def test_readme_is_short_and_speaks_to_its_reader() -> None:
    readme = _readme()
    assert len(readme.splitlines()) <= 150
    assert INTERNAL.findall(readme) == []
    quick_start = readme.split("\n## Quick start\n", 1)[1].split("\n## ", 1)[0]
    assert "runs in the foreground" in quick_start
    assert "second terminal" in quick_start
    assert "Ctrl-C" in quick_start
    things = readme.split("\n## Five things to try\n", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"^\d\. \*\*", things, re.MULTILINE)) == 5


@pytest.mark.parametrize(("page", "heading"), sorted(MOVED.items()))
def test_every_section_of_the_old_readme_is_in_docs(page: str, heading: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    assert text.startswith(heading)
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    assert f"]({page})" in index, f"docs/README.md does not link {page}"


@pytest.mark.parametrize("page", _markdown_files(), ids=lambda p: p.name)
def test_every_local_link_and_image_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    local = [t.split("#", 1)[0] for t in targets if "://" not in t and not t.startswith("#")]
    missing = [t for t in local if t and not (page.parent / t).exists()]
    assert missing == []
    for image in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", text):
        assert (page.parent / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", image
