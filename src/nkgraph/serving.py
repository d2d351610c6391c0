"""What the service serves, as the settings say: an external server, a store, the given
RDF files, or the shipped graph.

The files of ``--data`` are served as they are (one-graph formats in the default graph,
TriG and N-Quads with their graphs), with the ontology only when asked, and with the
default graph the data's own unless the union is asked for. The shipped graph has its
ontology and the union default graph (``Settings.union_for``).
"""

from __future__ import annotations

from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.engine import Engine

__all__ = ["served_engine"]


def served_engine(settings: Settings, *, dataset: Dataset | None = None) -> Engine:
    """The engine answering the service's queries.

    Args:
        settings: what to serve, and how.
        dataset: data loaded already (the shipped graph, validated); it is served with
            the default graph ``settings`` gives the shipped graph, or the data it names.

    Raises:
        DataLoadError: a data file cannot be read or parsed.
        ConfigurationError: the store cannot be opened.
        BackendError: the external server cannot be reached.
    """
    shipped = not settings.data
    if dataset is not None:
        return Engine.from_dataset(
            dataset,
            union_default_graph=settings.union_for(shipped=shipped),
            max_nesting=settings.max_nesting,
        )
    if settings.backend:
        from nkgraph.remote import RemoteEngine

        return RemoteEngine(settings.backend)
    if settings.store is not None:
        return Engine.from_store(
            settings.store,
            in_memory=settings.store_in_memory,
            union_default_graph=settings.union_default_graph,
            max_nesting=settings.max_nesting,
        )
    if settings.data:
        return Engine.from_files(
            settings.data,
            with_ontology=settings.with_ontology,
            truthy=settings.truthy,
            union_default_graph=settings.union_for(shipped=False),
            max_nesting=settings.max_nesting,
        )
    from nkgraph.graph import load_dataset

    return Engine.from_dataset(
        load_dataset(),
        union_default_graph=settings.union_for(shipped=True),
        max_nesting=settings.max_nesting,
    )
