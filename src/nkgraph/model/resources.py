"""Find the shipped ontology, shapes and data, installed or in a source checkout.

A wheel carries them in ``nkgraph/_resources`` (see ``pyproject.toml``); an editable
install or a plain checkout reads them from the repository's top-level folders.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["ResourcePaths", "shipped"]


@dataclass(frozen=True)
class ResourcePaths:
    """Where the shipped files live."""

    root: Path

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def ontology(self) -> Path:
        return self.ontology_dir / "nkgraph.ttl"

    @property
    def shapes(self) -> Path:
        return self.ontology_dir / "shapes.ttl"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def article_text(self) -> Path:
        return self.data_dir / "article.txt"

    @property
    def anchors(self) -> Path:
        """The generated mentions and offsets of the shipped article (``nkgraph anchors``)."""
        return self.data_dir / "karabakh-exodus-2023-anchors.trig"

    @property
    def competency_dir(self) -> Path:
        """The competency questions (``tests/competency/`` in a checkout)."""
        installed = self.root / "competency"
        return installed if installed.is_dir() else self.root / "tests" / "competency"

    def data_files(self) -> list[Path]:
        """The shipped RDF data files (TriG), in a stable order."""
        return sorted(self.data_dir.glob("*.trig"))


def shipped() -> ResourcePaths:
    """The resource folders of this installation.

    Raises:
        FileNotFoundError: neither an installed copy nor a source checkout was found.
    """
    packaged = Path(str(resources.files("nkgraph"))) / "_resources"
    checkout = Path(__file__).resolve().parents[3]
    for root in (packaged, checkout):
        if (root / "ontology" / "nkgraph.ttl").is_file():
            return ResourcePaths(root)
    raise FileNotFoundError(
        f"nkgraph's ontology and data were not found in {packaged} or {checkout}; "
        "reinstall the package with `pip install .`"
    )
