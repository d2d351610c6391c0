"""The journal: one file per committed transaction, the write path's commit point.

A store version directory (``sparql/store.py``) holds its journal in ``journal/``::

    journal/
      .lock               held (flock) by the one writer, across processes
      00000001.rdfp       transaction 1, in RDF Patch with H headers
      00000002.rdfp       ...

An entry is written to a temporary file, synced, linked to its final name (which fails
if the name exists, so a number is never written twice), and the directory synced: a
file with its final name is a committed transaction, and nothing else is. ``kill -9`` at
any moment leaves at most a temporary file, which the next writer removes.
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from nkgraph.curation.patch import Patch, parse_rdf_patch
from nkgraph.durable import sync_directory, write_new
from nkgraph.errors import NkGraphError, ResourceNotFound, WriterBusy

__all__ = ["Entry", "EntryNotFound", "Journal", "JournalError"]

_LOCK: Final = ".lock"
_SUFFIX: Final = ".rdfp"
_TEMPORARY: Final = ".tmp"
_NAME: Final = re.compile(r"(\d{8})\.rdfp")
_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
#: How often a waiting writer tries the lock again.
_POLL: Final = 0.01


class EntryNotFound(ResourceNotFound):
    """The history has no transaction with that number."""

    def __init__(self, number: int, head: int) -> None:
        self.iri = f"#{number}"
        self.number = number
        held = f"transactions 1 to {head}" if head else "no transactions yet"
        NkGraphError.__init__(self, f"there is no transaction {number}; the history holds {held}")


class JournalError(NkGraphError):
    """A journal file cannot be read: the store was changed by hand, or the disk failed."""


@dataclass(frozen=True)
class Entry:
    """One committed transaction.

    Args:
        number: its place in the journal, from 1.
        id: a ``urn:uuid:`` IRI naming it (RDF Patch's ``id`` header).
        agent: the name of the token that wrote it (never the token itself).
        created: when it was committed, in UTC.
        request: what was asked, in a few words (for example the update's text).
        version_before: the data version it was applied to.
        version_after: the data version it made.
        patch: the quads it removed and added.
    """

    number: int
    id: str
    agent: str
    created: datetime.datetime
    request: str
    version_before: str
    version_after: str
    patch: Patch

    def to_rdf_patch(self, *, prev: str | None = None) -> str:
        """The entry as RDF Patch text; ``prev`` is the id of the entry before it."""
        headers: dict[str, ox.NamedNode | ox.Literal] = {"id": ox.NamedNode(self.id)}
        if prev is not None:
            headers["prev"] = ox.NamedNode(prev)
        headers |= {
            "number": ox.Literal(str(self.number), datatype=ox.NamedNode(_XSD + "integer")),
            "agent": ox.Literal(self.agent),
            "created": ox.Literal(
                self.created.isoformat(), datatype=ox.NamedNode(_XSD + "dateTime")
            ),
            "request": ox.Literal(self.request),
            "versionBefore": ox.Literal(self.version_before),
            "versionAfter": ox.Literal(self.version_after),
        }
        return self.patch.to_rdf_patch(headers)

    @classmethod
    def from_rdf_patch(cls, text: str) -> Entry:
        """Read an entry that :meth:`to_rdf_patch` wrote.

        Raises:
            ValueError: the text is not RDF Patch, or a header is missing.
        """
        headers, patch = parse_rdf_patch(text)
        try:
            return cls(
                number=int(headers["number"].value),
                id=headers["id"].value,
                agent=headers["agent"].value,
                created=datetime.datetime.fromisoformat(headers["created"].value),
                request=headers["request"].value,
                version_before=headers["versionBefore"].value,
                version_after=headers["versionAfter"].value,
                patch=patch,
            )
        except KeyError as missing:
            raise ValueError(f"the RDF Patch header {missing} is missing") from None


class Journal:
    """The committed transactions of one store version, in the folder ``directory``
    (created by the first :meth:`append`)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, number: int) -> Path:
        """The file of entry ``number``."""
        return self.directory / f"{number:08d}{_SUFFIX}"

    def head(self) -> int:
        """The number of the last committed entry (0: none)."""
        if not self.directory.is_dir():
            return 0
        numbers = (_NAME.fullmatch(p.name) for p in self.directory.iterdir())
        return max((int(match[1]) for match in numbers if match), default=0)

    def has(self, number: int) -> bool:
        """Whether entry ``number`` is committed (one ``stat``)."""
        return self.path(number).exists()

    def read(self, number: int) -> Entry:
        """Entry ``number``.

        Raises:
            EntryNotFound: it is not committed.
            JournalError: its file does not parse.
        """
        try:
            text = self.path(number).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise EntryNotFound(number, self.head()) from None
        try:
            return Entry.from_rdf_patch(text)
        except ValueError as error:
            raise JournalError(f"{self.path(number)} cannot be read: {error}") from None

    def entries(self, after: int = 0) -> Iterator[Entry]:
        """The committed entries numbered above ``after``, in order."""
        number = after + 1
        while self.has(number):
            yield self.read(number)
            number += 1

    @contextlib.contextmanager
    def writer(self, wait: float) -> Iterator[None]:
        """Hold the one writer's lock (across threads and processes) while inside.

        Raises:
            WriterBusy: another writer held it for ``wait`` seconds.
        """
        self._make_directory()
        with (self.directory / _LOCK).open("a") as handle:
            _lock(handle.fileno(), wait)
            self._remove_temporary()
            yield

    def append(self, entry: Entry) -> None:
        """Commit ``entry``, the next number; call it inside :meth:`writer`.

        Raises:
            ValueError: ``entry`` is not numbered next.
            FileExistsError: its number was committed meanwhile (a writer without the lock).
        """
        before = entry.number - 1
        if before < 0 or (before and not self.has(before)) or self.has(entry.number):
            raise ValueError(f"entry {entry.number} cannot follow entry {self.head()}")
        prev = self.read(before).id if before else None
        final = self.path(entry.number)
        temporary = final.with_name(f"{final.name}.{os.getpid()}{_TEMPORARY}")
        write_new(temporary, entry.to_rdf_patch(prev=prev).encode("utf-8"))
        try:
            os.link(temporary, final)
        finally:
            temporary.unlink()
        sync_directory(self.directory)

    def _make_directory(self) -> None:
        if not self.directory.is_dir():
            self.directory.mkdir(parents=True, exist_ok=True)
            sync_directory(self.directory.parent)

    def _remove_temporary(self) -> None:
        for path in self.directory.glob(f"*{_TEMPORARY}"):
            path.unlink(missing_ok=True)


def _lock(descriptor: int, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise WriterBusy(wait) from None
            time.sleep(_POLL)
