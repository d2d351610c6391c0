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
