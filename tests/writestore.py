"""A write-enabled service on a copy of a store of the shipped graph, for the write tests.

A module of its own (as ``liveserver.py``), imported by the test modules that need it: the
store is built once per session (validating the shipped graph takes seconds) and copied
for each test, which then writes to its own copy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from nkgraph.curation.tokens import ALL_GRAPHS, TokenFile
from nkgraph.sparql.store import build_store

#: A graph the write tests write to.
GRAPH = "https://w3id.org/nkgraph/graph/corrections"
PREFIXES = (
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "PREFIX schema: <http://schema.org/>\n"
    "PREFIX id: <https://w3id.org/nkgraph/id/>\n"
)
#: A person with a name: conforms.
GOOD = (
    PREFIXES
    + f'INSERT DATA {{ GRAPH <{GRAPH}> {{ id:new-person a foaf:Person ; schema:name "Ana" }} }}'
)
#: A person without a name: breaks nks:PersonShape.
BAD = PREFIXES + f"INSERT DATA {{ GRAPH <{GRAPH}> {{ id:nameless a foaf:Person }} }}"


@dataclass(frozen=True)
class WriteStore:
    """A store to write to, and the secrets of its tokens."""

    directory: Path
    writer: str  # may write every graph
    reader: str  # may write none


def build_shipped_store(directory: Path) -> Path:
    """A store of the shipped graph in ``directory``."""
    build_store(None, directory)
    return directory


def copy_store(source: Path, directory: Path) -> WriteStore:
    """A copy of the store ``source`` in ``directory``, with two tokens."""
    shutil.copytree(source, directory, symlinks=True)
    tokens = TokenFile(directory / "tokens.json")
    writer = tokens.add("curator", graphs=[ALL_GRAPHS])
    reader = tokens.add("reader", graphs=[])
    return WriteStore(directory, writer, reader)
