"""A plain (not editable) install works from anywhere, with the resources it carries."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

#: What the child processes must not inherit: it would point them at the checkout.
_LEAKY = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY}
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=240
    )
    print(f"$ {' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}")
    return done


def test_plain_install_validates_from_outside_the_checkout(tmp_path: Path, checkout: Path) -> None:
    if not (checkout / "ontology" / "nkgraph.ttl").is_file():
        pytest.skip("the shipped ontology (ontology/nkgraph.ttl) is not written yet")
    venv = tmp_path / "venv"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _run(sys.executable, "-m", "venv", venv, cwd=elsewhere).returncode == 0
    python, nkgraph = venv / "bin" / "python", venv / "bin" / "nkgraph"
    install = _run(python, "-m", "pip", "install", "--quiet", checkout, cwd=elsewhere)
    assert install.returncode == 0

    where = _run(
        python,
        "-c",
        "import sysconfig; from nkgraph.model.resources import shipped; "
        "print(shipped().root); print(sysconfig.get_paths()['purelib'])",
        cwd=elsewhere,
    )
    root, site_packages = (Path(line) for line in where.stdout.split())
    assert root.is_relative_to(site_packages)
    assert not root.is_relative_to(checkout)

    validate = _run(nkgraph, "validate", cwd=elsewhere)
    assert validate.returncode == 0
