"""Open what is served, as the settings say: an external server, a store, the given RDF
files, or the shipped graph. ``nkgraph serve``, ``nkgraph query`` and the tests open it
here, and nowhere else.

The files of ``--data`` are served as they are (one-graph formats in the default graph,
TriG and N-Quads with their graphs), with the ontology only when asked, and with the
default graph the data's own unless the union is asked for. The shipped graph has its
ontology and the union default graph (``Settings.union_for``).

The validation policy is written down in one place, ``validation/admission.py``: the
shipped graph must conform to the shipped shapes, or nothing is served
(:func:`load_shipped_dataset`); ``--data`` files are served as they are (check them with
``nkgraph validate``); a store was validated when ``nkgraph load`` built it (as
``nkgraph push`` validates what it sends), and each write to it is checked before it is committed
(``curation/commit.py``: :meth:`Curator.open <nkgraph.curation.commit.Curator.open>`
replays the store's journal onto the engine opened here); an external server's data is
its own.
"""

from __future__ import annotations

import logging
import sys

from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError, ShapesViolation
from nkgraph.sparql.engine import Engine, QueryEngine

__all__ = ["load_shipped_dataset", "open_engine"]

logger = logging.getLogger(__name__)


def open_engine(settings: Settings, *, dataset: Dataset | None = None) -> QueryEngine:
    """The engine answering queries on what ``settings`` name.

    Args:
        settings: what to serve, and how.
        dataset: data loaded (and checked) already, served as the data ``settings``
            names would be: the shipped graph's default graph when they name none.

    Raises:
        DataLoadError: a data file cannot be read or parsed.
        ConfigurationError: the store cannot be opened, or the shipped graph does not
            conform to its shapes.
        BackendError: the external server cannot be reached.
    """
    if dataset is None and not (settings.backend or settings.store or settings.data):
        dataset = load_shipped_dataset()
    if dataset is not None:
        return Engine.from_dataset(
            dataset,
            union_default_graph=settings.union_for(shipped=not settings.data),
            max_nesting=settings.max_nesting,
        )
    if settings.backend:
        from nkgraph.sparql.remote import RemoteEngine

        return RemoteEngine(settings.backend)
    if settings.store is not None:
        from nkgraph.sparql.store import has_writes

        return Engine.from_store(
            settings.store,
            # Writes are applied to an in-memory store (``Engine.apply``), never to the
            # build on disk: the journal next to it is what is durable.
            # Served read-only, a store with committed writes is replayed too (so in memory).
            in_memory=(
                sys.maxsize
                if settings.writes or has_writes(settings.store)
                else settings.store_in_memory
            ),
            union_default_graph=settings.union_default_graph,
            max_nesting=settings.max_nesting,
        )
    logger.info("serving %s without validating it", ", ".join(map(str, settings.data)))
    return Engine.from_files(
        settings.data,
        with_ontology=settings.with_ontology,
        truthy=settings.truthy,
        union_default_graph=settings.union_for(shipped=False),
        max_nesting=settings.max_nesting,
    )


def load_shipped_dataset() -> Dataset:
    """The shipped graph, which must conform to the shipped shapes.

    Raises:
        ConfigurationError: the shipped data does not conform to its shapes.
    """
    from nkgraph.model.loading import load_dataset, load_shapes
    from nkgraph.validation.admission import check_conforms

    dataset = load_dataset()
    try:
        check_conforms(dataset, load_shapes())
    except ShapesViolation as violation:
        raise ConfigurationError(
            "the shipped data does not conform to its shapes, so it is not served:\n"
            + str(violation)
        ) from None
    return dataset
