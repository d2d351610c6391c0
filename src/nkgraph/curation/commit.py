"""Commit one write: stage it, check it, journal it, apply it, or refuse it whole.

:meth:`Curator.commit` takes these steps, in this order:

1. take the writer's lock (``journal/.lock``; wait ``NKGRAPH_WRITE_WAIT``, else
   :class:`~nkgraph.errors.WriterBusy`);
2. refresh: apply the entries other processes committed that this one has not;
3. compare ``If-Match`` with the current version's ETag (else
   :class:`~nkgraph.errors.PreconditionFailed`);
4. stage the request into a :class:`~nkgraph.curation.patch.Patch` (nothing changes);
5. ``authorise`` the graphs it touches (the token's rights; else ``WriteForbidden``);
6. add the truthy-graph changes it implies (the gate's ``derived``);
7. validate the data it would leave (the gate's ``check``; else
   :class:`~nkgraph.errors.WriteRejected`);
8. append the journal entry: the commit point;
9. apply the patch to this process's engine (:meth:`Engine.apply
   <nkgraph.sparql.engine.Engine.apply>`).

A failure at any step before 8 leaves the journal and the data as they were.

The version after entry N is ``{build version}+{N}``; with no entry it is the build's
own version, so a store with writes on and no write yet answers with the same ETags as
one served read-only.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from nkgraph.curation.gate import ShapesGate
from nkgraph.curation.journal import Entry, Journal, JournalError
from nkgraph.curation.patch import Patch
from nkgraph.errors import ConfigurationError, PreconditionFailed, WriteRejected
from nkgraph.sparql.engine import Engine, with_large_stack
from nkgraph.validation.shacl import Severity, ValidationReport, ValidationResult

if TYPE_CHECKING:
    from nkgraph.config import Settings

__all__ = [
    "Curator",
    "Gate",
    "Stage",
    "etag_matches",
    "summary",
    "version_at",
    "version_etag",
]

logger = logging.getLogger(__name__)

#: Turns the store (before the write) into the write's patch: a staging function.
Stage = Callable[[ox.Store], Patch]
#: Refuses (raises ``WriteForbidden``) a write to graphs the writer may not change.
Authorise = Callable[[frozenset[str]], None]


class Gate(Protocol):
    """What checks a patch before it is committed (``curation.gate.ShapesGate``)."""

    def derived(self, store: ox.Store, patch: Patch) -> Patch:
        """The changes to derived data (the truthy graph) that ``patch`` implies."""
        ...

    def check(self, store: ox.Store, patch: Patch) -> ValidationReport:
        """Validate the data ``store`` would hold after ``patch``."""
        ...


def version_at(base: str, number: int) -> str:
    """The data version after journal entry ``number`` of a store built as ``base``.

    >>> version_at("20261205T131500-42-1a2b3c4d", 0), version_at("b", 7)
    ('20261205T131500-42-1a2b3c4d', 'b+7')
    """
    return f"{base}+{number}" if number else base


def version_etag(version: str) -> str:
    """The HTTP entity tag of data ``version`` (strong, as the Graph Store reads send it).

    >>> version_etag("b+7")
    '"b+7"'
    """
    return f'"{version}"'


def etag_matches(if_match: str, etag: str) -> bool:
    """Whether an ``If-Match`` header value matches ``etag`` (RFC 9110, section 13.1.1:
    ``*``, or one of a list, compared strongly, so a weak tag never matches).

    >>> etag_matches('"a", "b+7"', '"b+7"'), etag_matches('W/"b+7"', '"b+7"')
    (True, False)
    """
    tags = [tag.strip() for tag in if_match.split(",")]
    return "*" in tags or etag in tags


def _anyone(graphs: frozenset[str]) -> None:
    """Authorise every write (the command line acts with the store owner's rights)."""


class Curator:
    """The one way data changes: commits writes to ``journal`` and applies them to
    ``engine``, and applies what other processes committed (:meth:`refresh`).

    Args:
        engine: the in-memory engine serving the store, at the build version
            ``base_version`` plus the journal entries applied so far (none: call
            :meth:`refresh` to replay them).
        journal: the journal of the store version the engine serves.
        gate: derives and validates each patch.
        base_version: the store build's own data version.
        wait: how long a write waits for another to finish (seconds).
    """

    def __init__(
        self, engine: Engine, journal: Journal, *, gate: Gate, base_version: str, wait: float
    ) -> None:
        self.engine = engine
        self.journal = journal
        self.gate = gate
        self.base_version = base_version
        self.wait = wait
        self._applied = 0
        self._applying = threading.Lock()
        #: The entries applied, in order: what ``/history`` lists, without reading the
        #: journal's files again (an entry never changes once committed).
        self._entries: list[Entry] = []

    @classmethod
    def open(cls, settings: Settings, engine: Engine, *, gate: Gate | None = None) -> Curator:
        """The curator of the store ``settings`` name, served by ``engine`` (opened on it
        with writes on, so in memory); the journal is replayed onto the engine. ``gate``
        defaults to the shapes ``settings`` name (the shipped ones unless
        ``NKGRAPH_SHAPES`` says otherwise) and the shipped ontology.

        Raises:
            ConfigurationError: ``settings`` name no store, or its journal cannot be read.
            DataLoadError: the shapes file ``settings`` name cannot be read.
        """
        if settings.store is None:
            raise ConfigurationError("writes need a store: give --store DIR")
        from nkgraph.model.loading import load_shapes
        from nkgraph.sparql.store import journal_path

        base = engine.version
        curator = cls(
            engine,
            Journal(journal_path(settings.store, base)),
            gate=gate if gate is not None else ShapesGate(load_shapes(settings.shapes)),
            base_version=base,
            wait=settings.write_wait,
        )
        started = time.perf_counter()
        replayed = curator.refresh()
        logger.info(
            "journal replayed: %d transaction(s) in %.2f s, version %s",
            replayed,
            time.perf_counter() - started,
            curator.version,
        )
        return curator

    @property
    def head(self) -> int:
        """The number of the last journal entry this process has applied."""
        return self._applied

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The journal entries this process has applied, oldest first."""
        return tuple(self._entries)

    @property
    def version(self) -> str:
        """The data version this process serves."""
        return version_at(self.base_version, self._applied)

    def refresh(self) -> int:
        """Apply the entries committed since the last look (one ``stat`` when there are
        none); returns how many were applied.

        Raises:
            JournalError: an entry cannot be read, or does not follow the data served.
        """
        applied = 0
        with self._applying:
            while self.journal.has(self._applied + 1):
                self._apply(self.journal.read(self._applied + 1))
                applied += 1
        return applied

    def commit(
        self,
        stage: Stage,
        *,
        agent: str,
        request: str,
        if_match: str | None = None,
        authorise: Authorise = _anyone,
    ) -> Entry:
        """Commit the write ``stage`` makes, as one transaction, or nothing of it.

        Args:
            stage: turns the current store into the write's patch (``curation.staging``).
            agent: the token's name, recorded in the history.
            request: what was asked, in a few words, recorded in the history.
            if_match: the request's ``If-Match`` header, if it has one.
            authorise: refuses the graphs the writer may not change.

        Returns:
            The committed entry (a write that changes nothing is recorded too).

        Raises:
            WriterBusy: another write held the lock for longer than ``wait``.
            PreconditionFailed: ``if_match`` does not match the current version.
            WriteForbidden: ``authorise`` refused a graph.
            WriteRejected: the data after the patch breaks the shapes.
            QueryError: staging refused the request (syntax, protocol, a refused LOAD).
        """
        with self.journal.writer(self.wait):
            self.refresh()
            self._check_precondition(if_match)
            store = self.engine.store
            patch = with_large_stack(lambda: stage(store))
            authorise(patch.graphs)
            patch = _combined(patch, self.gate.derived(store, patch))
            _check(self.gate.check(store, patch))
            entry = self._entry(patch, agent=agent, request=request)
            self.journal.append(entry)
            with self._applying:
                if self._applied < entry.number:  # else a refresh applied it already
                    self._apply(entry)
        logger.info(
            "transaction %d by %s: -%d +%d, version %s",
            entry.number,
            agent,
            len(patch.removed),
            len(patch.added),
            entry.version_after,
        )
        return entry

    def _check_precondition(self, if_match: str | None) -> None:
        current = version_etag(self.version)
        if if_match is not None and not etag_matches(if_match, current):
            raise PreconditionFailed(if_match, current)

    def _entry(self, patch: Patch, *, agent: str, request: str) -> Entry:
        number = self._applied + 1
        return Entry(
            number=number,
            id=f"urn:uuid:{uuid.uuid4()}",
            agent=agent,
            created=datetime.datetime.now(datetime.UTC),
            request=request,
            version_before=self.version,
            version_after=version_at(self.base_version, number),
            patch=patch,
        )

    def _apply(self, entry: Entry) -> None:
        """Apply ``entry`` to the engine; the caller holds ``_applying``."""
        if entry.number != self._applied + 1 or entry.version_before != self.version:
            raise JournalError(
                f"journal entry {entry.number} was made on version {entry.version_before}, "
                f"but this process serves {self.version}: the journal belongs to another "
                "store build"
            )
        self.engine.apply(entry.patch.removed, entry.patch.added, version=entry.version_after)
        self._entries.append(entry)
        self._applied = entry.number


def _combined(patch: Patch, derived: Patch) -> Patch:
    if not derived:
        return patch
    return Patch.between((*patch.removed, *derived.removed), (*patch.added, *derived.added))


def _check(report: ValidationReport) -> None:
    """Refuse a patch whose data does not conform.

    Raises:
        WriteRejected: with one line per violation.
    """
    if not report.conforms:
        raise WriteRejected(report, summary(report.results))


def summary(results: Iterable[ValidationResult]) -> str:
    """One line per violation among ``results``, for a person."""
    return "\n".join(
        f"- {r.focus_node.n3()}{'' if r.path is None else f' {r.path}'}: {r.message}"
        for r in results
        if r.severity is Severity.VIOLATION
    )
