"""nkgraph: a validated knowledge graph of one news article, with provenance."""

__version__ = "0.1.0"
