"""scripts/screenshots.py takes every screenshot the README and docs/ show, from the real
pages, and the files it writes are the ones the documents reference."""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

CHECKOUT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "screenshots", CHECKOUT / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_image_the_documents_show_is_one_the_script_takes() -> None:
    names = {shot.name for shot in _script().SHOTS}
    shown = set()
    for page in [CHECKOUT / "README.md", *(CHECKOUT / "docs").glob("*.md")]:
        for image in re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            target = (page.parent / image).resolve()
            assert target.parent == CHECKOUT / "docs" / "images", image
            shown.add(target.name)
    assert shown <= names
    assert {p.name for p in (CHECKOUT / "docs" / "images").glob("*.png")} == names


@pytest.mark.browser
def test_the_script_takes_the_screenshots(tmp_path: Path) -> None:
    if shutil.which("chromium") is None or shutil.which("chromedriver") is None:
        pytest.skip("needs Debian's chromium and chromium-driver")
    written = _script().take(tmp_path)
    assert sorted(p.name for p in written) == sorted(s.name for s in _script().SHOTS)
    for path in written:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width == _script().WIDTH and 0 < height <= _script().HEIGHT
