"""What must conform before data is served, stored or pushed: one policy, in one place.

- The shipped graph must conform to the shipped shapes, or it is not served
  (``sparql/opening.py``).
- Files that ``nkgraph load`` stores or ``nkgraph push`` sends are read with the shipped
  ontology (the shapes follow its ``rdfs:subClassOf`` and controlled values) and must
  conform, or nothing is stored or sent (:func:`check_files`).
- Files that ``nkgraph serve --data`` serves are served as they are (``nkgraph validate``
  checks them), and each write to a store is checked before it commits
  (``curation/gate.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rdflib import Dataset, Graph

from nkgraph.errors import ShapesViolation
from nkgraph.model.loading import load_dataset, load_shapes
from nkgraph.validation.report_writers import render_text
from nkgraph.validation.shacl import validate

__all__ = ["check_conforms", "check_files"]


def check_conforms(dataset: Dataset, shapes: Graph) -> None:
    """Validate ``dataset`` against ``shapes``.

    Raises:
        ShapesViolation: it does not conform (the message holds the report).
    """
    report = validate(dataset, shapes=shapes)
    if not report.conforms:
        raise ShapesViolation(render_text(report))


def check_files(
    paths: Sequence[Path] | None, *, shapes: Path | None = None, read: Dataset | None = None
) -> None:
    """Check that ``paths`` (the shipped graph when ``None``), read with the shipped
    ontology, conform to ``shapes`` (the shipped shapes when ``None``).

    Args:
        paths: the files or folders.
        shapes: a shapes file.
        read: the files already read with the ontology, so that they are not read twice.

    Raises:
        DataLoadError: a file cannot be read or parsed.
        ShapesViolation: the data does not conform.
    """
    data = read if read is not None else load_dataset(paths, with_ontology=True)
    check_conforms(data, load_shapes(shapes))
