"""What the views share, reached from any blueprint without importing the package that
registers them (``web/__init__`` imports the blueprints; they import this module)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from flask import current_app

from nkgraph.config import Settings
from nkgraph.sparql.engine import QueryEngine

if TYPE_CHECKING:
    from nkgraph.curation.commit import Curator

__all__ = ["EXTENSION", "TRUNCATED_HEADER", "WARNING_HEADER", "ServiceState", "service_state"]

#: The key of :class:`ServiceState` in ``app.extensions``.
EXTENSION: Final = "nkgraph"
#: Headers a cross-origin script may read: the row-cap marker among them.
TRUNCATED_HEADER: Final = "NkGraph-Truncated"
#: A graph the request named is not in the dataset and was read as empty (one per graph).
WARNING_HEADER: Final = "NkGraph-Warning"


@dataclass(frozen=True)
class ServiceState:
    """What the views share: the settings, the engine, where the data came from, and the
    curator that commits writes (``None`` when writes are off)."""

    settings: Settings
    engine: QueryEngine
    source: str
    loaded_at: datetime.datetime
    curator: Curator | None = None

    def last_modified(self) -> datetime.datetime:
        """When the data served last changed: its load, or its last committed write."""
        if self.curator is None or self.curator.head == 0:
            return self.loaded_at
        return max(self.loaded_at, _committed_at(self.curator.journal.path(self.curator.head)))


@lru_cache(maxsize=16)
def _committed_at(entry: Path) -> datetime.datetime:
    """When the journal entry at ``entry`` was committed (read once: entries never change).
    Whole seconds, as an HTTP date has them."""
    from nkgraph.curation.journal import Entry

    created = Entry.from_rdf_patch(entry.read_text(encoding="utf-8")).created
    return created.replace(microsecond=0)


def service_state() -> ServiceState:
    """The state of the app handling the current request."""
    state: ServiceState = current_app.extensions[EXTENSION]
    return state
