"""On-disk stores: built once from validated data, swapped in atomically, opened fast.

``nkgraph load PATH… --store DIR`` calls :func:`build_store`; ``nkgraph serve --store DIR``
calls :func:`open_store` (through :meth:`nkgraph.sparql.engine.Engine.from_store`). A store
directory looks like this::

    DIR/
      .lock                  held (flock) by the one load that may run at a time
      tokens.json            the service's bearer tokens (`nkgraph token add`), kept by every load
      current -> 20261125T101500-4242-1a2b3c4d      a symbolic link: the store in use
      20261125T101500-4242-1a2b3c4d/
        oxigraph/            the pyoxigraph (RocksDB) store
        store.json           its data version, sources, counts and statistics
        journal/             the writes committed on it (``curation/journal.py``), if any

Why this shape: the crash-safety the service needs comes from one atomic step. A load
builds a new version next to the one in use, writes and syncs it completely, then points
``current`` at it with ``os.replace`` of a symbolic link (atomic on POSIX). A load killed
at any moment (``kill -9``, power loss) leaves ``current`` pointing at the previous,
complete version; the half-built one is removed by the next load. Invalid input raises
before anything is written, so it changes nothing.

pyoxigraph parses the input (``Store.bulk_load``) and derives the truthy graph; rdflib
reads the files only when they are validated, since pySHACL needs an rdflib graph. rdflib's
parser and SPARQL took 90 of the 106 s a 1.2-million-quad build used to take.

The statistics the service description shows (VoID counts) are computed once, at build
time, and kept in ``store.json``: counting distinct triples of a million-triple store
takes seconds, and a restart should not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import fcntl
import json
import logging
import os
import re
import shutil
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pyoxigraph as ox

from nkgraph.durable import sync_directory, write_new
from nkgraph.errors import ConfigurationError
from nkgraph.sparql.statistics import (
    DatasetStatistics,
    GraphStatistics,
    SourceDescription,
    describe_source,
    store_statistics,
)

__all__ = [
    "StoreInfo",
    "build_store",
    "current_journal",
    "has_writes",
    "journal_path",
    "open_store",
]

logger = logging.getLogger(__name__)

_CURRENT: Final = "current"
_LOCK: Final = ".lock"
#: The service's tokens (``Settings.tokens_path``): a load keeps them.
_TOKENS: Final = "tokens.json"
_OXIGRAPH: Final = "oxigraph"
_INFO: Final = "store.json"
_JOURNAL: Final = "journal"
#: Bumped when the layout of a store directory changes.
_LAYOUT: Final = 1
_VERSION: Final = re.compile(r"\d{8}T\d{6}-\d+-[0-9a-f]{8}")


@dataclass(frozen=True)
class StoreInfo:
    """What a store holds, written at build time.

    Args:
        version: the data version, unique per build (caches key on it).
        built_at: when the build finished, ISO 8601 in UTC.
        sources: the files it was built from (empty: the shipped graph).
        quads: how many quads it holds.
        validated: whether the data passed SHACL validation before it was stored.
        statistics: VoID counts for the service description.
        source: what the data describes, for the query page.
        union_default_graph: whether queries see the union of all graphs as their
            default graph (``serve --store`` follows it unless told otherwise).
    """

    version: str
    built_at: str
    sources: tuple[str, ...]
    quads: int
    validated: bool
    statistics: DatasetStatistics
    source: SourceDescription
    union_default_graph: bool

    def to_json(self) -> str:
        """The info as the JSON of ``store.json``."""
        return json.dumps({"layout": _LAYOUT, **dataclasses.asdict(self)}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> StoreInfo:
        """Read ``store.json``."""
        data: dict[str, Any] = json.loads(text)
        stats = data["statistics"]
        return cls(
            version=data["version"],
            built_at=data["built_at"],
            sources=tuple(data["sources"]),
            quads=data["quads"],
            validated=data["validated"],
            statistics=DatasetStatistics(
                **{k: v for k, v in stats.items() if k != "graphs"},
                graphs=tuple(GraphStatistics(**g) for g in stats["graphs"]),
            ),
            source=SourceDescription(**data["source"]),
            # Stores built before the choice was recorded served the union.
            union_default_graph=data.get("union_default_graph", True),
        )


def build_store(
    paths: Sequence[Path] | None,
    directory: Path,
    *,
    shapes: Path | None = None,
    validate: bool = True,
    with_ontology: bool = False,
    truthy: bool = True,
    union_default_graph: bool | None = None,
    replace_history: bool = False,
) -> StoreInfo:
    """Load ``paths`` (default: the shipped graph), validate them, and make them the store
    in use in ``directory``, replacing the previous one atomically.

    The store holds what ``nkgraph serve --data`` would serve from the same files (the
    ontology with the shipped graph, or ``with_ontology``), and records whether its
    default graph is the union of its graphs (``None``: for the shipped graph only).
    Validation reads the data with the ontology, as ``nkgraph validate`` does.

    Writes committed on the store in use (its journal) are dropped with it, so a load
    refuses to replace a store that has any unless ``replace_history`` says to.

    Raises:
        DataLoadError: an input cannot be read or parsed (the store is unchanged).
        ShapesViolation: the data does not conform to the shapes (the store is unchanged).
        ConfigurationError: ``directory`` exists and is not an nkgraph store, or its store
            in use has committed writes and ``replace_history`` is false.
    """
    from nkgraph.model.loading import load_into_store
    from nkgraph.validation.admission import check_files

    files = list(paths) if paths else None
    started = time.perf_counter()
    directory.mkdir(parents=True, exist_ok=True)
    with _locked(directory):
        _check_layout(directory)
        if not replace_history:
            _check_no_history(directory)
        _remove_stale(directory)
        version = _new_version()
        building = directory / version
        building.mkdir()
        try:
            if validate:  # pySHACL needs an rdflib graph; the store is built without one
                check_files(files, shapes=shapes)
            store = ox.Store(str(building / _OXIGRAPH))
            load_into_store(store, files, with_ontology=with_ontology or None, truthy=truthy)
            # Bulk loading leaves RocksDB in many small files; compacting them once (3 s
            # for a million quads) makes lookups on the store up to twice as fast.
            store.optimize()
            union = files is None if union_default_graph is None else union_default_graph
            info = _describe(store, version, paths, validated=validate, union=union)
            store.flush()
            del store  # closes the database before it is published
            write_new(building / _INFO, info.to_json().encode("utf-8"))
            sync_directory(building)
            _publish(directory, version)
        except BaseException:
            shutil.rmtree(building, ignore_errors=True)
            raise
        _remove_stale(directory)
    logger.info(
        "store %s built in %.1f s: %d quads", version, time.perf_counter() - started, info.quads
    )
    return info


def open_store(directory: Path) -> tuple[ox.Store, StoreInfo]:
    """The store in use in ``directory``, opened read-only, and its info.

    Raises:
        ConfigurationError: ``directory`` holds no complete nkgraph store.
    """
    current = directory / _CURRENT
    if not current.is_symlink():
        raise ConfigurationError(
            f"{directory} holds no nkgraph store; build one with `nkgraph load PATH… "
            f"--store {directory}`"
        )
    version = directory / os.readlink(current)
    try:
        info = StoreInfo.from_json((version / _INFO).read_text(encoding="utf-8"))
        store = ox.Store.read_only(str(version / _OXIGRAPH))
    except (OSError, KeyError, ValueError, TypeError) as error:
        raise ConfigurationError(f"the store in {version} cannot be opened: {error}") from error
    return store, info


def current_journal(directory: Path) -> Path:
    """The journal folder of the store in use in ``directory``.

    Raises:
        ConfigurationError: ``directory`` holds no nkgraph store.
    """
    current = directory / _CURRENT
    if not current.is_symlink():
        raise ConfigurationError(
            f"{directory} holds no nkgraph store; build one with `nkgraph load PATH… "
            f"--store {directory}`"
        )
    return journal_path(directory, os.readlink(current))


def has_writes(directory: Path) -> bool:
    """Whether writes were committed on the store in use in ``directory`` (its journal
    holds an entry), so that serving it means replaying them, writes on or off.

    Raises:
        ConfigurationError: ``directory`` holds no nkgraph store.
    """
    journal = current_journal(directory)
    return journal.is_dir() and any(journal.glob("*.rdfp"))


def journal_path(directory: Path, version: str) -> Path:
    """The journal folder (``curation/journal.py``) of store ``version`` in ``directory``."""
    return directory / version / _JOURNAL


def _describe(
    store: ox.Store, version: str, paths: Sequence[Path] | None, *, validated: bool, union: bool
) -> StoreInfo:
    return StoreInfo(
        version=version,
        built_at=datetime.datetime.now(datetime.UTC).replace(microsecond=0).isoformat(),
        sources=tuple(str(p) for p in paths or ()),
        quads=len(store),
        validated=validated,
        statistics=store_statistics(store),
        source=describe_source(store),
        union_default_graph=union,
    )


def _new_version() -> str:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One load at a time per store directory; the lock dies with its process."""
    with (directory / _LOCK).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConfigurationError(
                f"another `nkgraph load` is building {directory}; wait for it to finish"
            ) from None
        yield


def _check_layout(directory: Path) -> None:
    foreign = [p.name for p in directory.iterdir() if not _ours(p.name)]
    if foreign:
        raise ConfigurationError(
            f"{directory} is not an nkgraph store (it holds {', '.join(sorted(foreign)[:3])}); "
            "give an empty or new directory, or one `nkgraph load` made"
        )


def _check_no_history(directory: Path) -> None:
    current = directory / _CURRENT
    if not current.is_symlink():
        return
    journal = journal_path(directory, os.readlink(current))
    committed = len(list(journal.glob("*.rdfp"))) if journal.is_dir() else 0
    if committed:
        raise ConfigurationError(
            f"the store in use in {directory} has {committed} committed write(s) (see "
            f"`nkgraph history --store {directory}`), which a new load would drop; load "
            "the data they made instead, or give --replace-history to drop them"
        )


def _ours(name: str) -> bool:
    return (
        name in (_CURRENT, _LOCK, _TOKENS)
        or name.startswith((_CURRENT + ".", _TOKENS + "."))
        or _VERSION.fullmatch(name) is not None
    )


def _remove_stale(directory: Path) -> None:
    """Remove every version but the one in use: left by a killed load, or replaced."""
    current = directory / _CURRENT
    in_use = os.readlink(current) if current.is_symlink() else None
    for path in directory.iterdir():
        if path.name in (_CURRENT, _LOCK, _TOKENS, in_use):
            continue
        if path.is_symlink() or path.is_file():
            path.unlink()
        else:
            shutil.rmtree(path, ignore_errors=True)


def _publish(directory: Path, version: str) -> None:
    """Point ``current`` at ``version`` in one atomic step."""
    link = directory / f"{_CURRENT}.{version}"
    os.symlink(version, link)
    os.replace(link, directory / _CURRENT)
    sync_directory(directory)
