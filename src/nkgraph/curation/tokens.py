"""Bearer tokens: who may write which graphs, and who may read a private service.

A token is a random secret handed to one person or program once, by ``nkgraph token add
NAME``. The tokens file (``Settings.tokens_path``: ``NKGRAPH_TOKENS_FILE``, else
``tokens.json`` in the store directory) keeps, for each token, its name, the SHA-256 of
its secret, whether it may read, which graphs it may write and when it was made; never
the secret itself. The file is JSON, written whole to a temporary file and renamed over
the old one, with mode 0600::

    {"version": 1, "tokens": [{"name": "alice", "sha256": "9f86…", "read": true,
      "graphs": ["", "https://w3id.org/nkgraph/graph/reviews"], "created": "2026-…Z"}]}

Graphs are named as :attr:`nkgraph.curation.patch.Patch.graphs` names them: an IRI,
``""`` (:data:`~nkgraph.curation.patch.DEFAULT_GRAPH`) for the default graph, and
``"*"`` (:data:`ALL_GRAPHS`) in a token's rights for every graph.

A running service sees ``revoke`` at its next request: :meth:`TokenFile.authenticate`
reads the file again whenever its size, time or inode changed.

>>> Token("alice", read=True, graphs=frozenset({""})).may_write(DEFAULT_GRAPH)
True
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import stat
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from nkgraph.curation.patch import DEFAULT_GRAPH
from nkgraph.durable import sync_directory, write_new
from nkgraph.errors import ConfigurationError, WriteForbidden

__all__ = ["ALL_GRAPHS", "SECRET_PREFIX", "Token", "TokenFile", "check_write", "describe_graph"]

logger = logging.getLogger(__name__)

#: In a token's rights: every graph, the default graph included.
ALL_GRAPHS: Final = "*"
#: The start of every secret, so that a leaked one is easy to recognise (and to search for).
SECRET_PREFIX: Final = "nkg_"  # noqa: S105 (a prefix, not a secret)
#: The version of the file's layout.
FORMAT_VERSION: Final = 1
#: Bytes of randomness in a secret: 256 bits, as ``secrets`` recommends for tokens.
SECRET_BYTES: Final = 32

_NAME: Final = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
# An absolute IRI that may stand between < and > in SPARQL (as pages/lookup.py checks).
_IRI: Final = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


@dataclass(frozen=True)
class Token:
    """A token's name and rights (never its secret).

    Args:
        name: a short slug naming who holds it; the history records it.
        read: whether it may read a private service (``NKGRAPH_PRIVATE``).
        graphs: the graphs it may write: IRIs, ``""`` the default graph, ``"*"`` all.
        created: when it was made (UTC).
    """

    name: str
    read: bool = True
    graphs: frozenset[str] = frozenset()
    created: datetime.datetime | None = field(default=None, compare=False)

    def may_write(self, graph: str) -> bool:
        """Whether this token may change ``graph`` (an IRI, or ``""``: the default graph)."""
        return ALL_GRAPHS in self.graphs or graph in self.graphs


def describe_graph(graph: str) -> str:
    """``graph`` in words: "the default graph", "every graph" or "graph <IRI>"."""
    if graph == DEFAULT_GRAPH:
        return "the default graph"
    if graph == ALL_GRAPHS:
        return "every graph"
    return f"graph <{graph}>"


def check_write(token: Token, graphs: Iterable[str]) -> None:
    """Refuse a write of ``graphs`` that ``token`` has no right to.

    A token that may write nothing is refused even a change that touches no graph.

    Raises:
        WriteForbidden: naming the token and the first graph (in sorted order) it may
            not write.
    """
    if not token.graphs:
        raise WriteForbidden(token.name, "is read-only: it may not write anything")
    for graph in sorted(graphs):
        if not token.may_write(graph):
            rights = ", ".join(describe_graph(g) for g in sorted(token.graphs))
            raise WriteForbidden(
                token.name, f"may not write {describe_graph(graph)} (it may write {rights})"
            )


@dataclass(frozen=True)
class _Entry:
    token: Token
    digest: bytes


@dataclass(frozen=True)
class _Snapshot:
    """The file as last read, and what identified it then (``None``: there was none)."""

    key: tuple[int, int, int] | None
    entries: tuple[_Entry, ...]


def _digest(secret: str) -> bytes:
    # A plain SHA-256 is right here, where a slow password hash (bcrypt, scrypt) is not:
    # a secret is 256 random bits, so no guess list or brute force can find it from its
    # hash however fast the hash is, and a fast hash lets every request be checked cheaply.
    return hashlib.sha256(secret.encode("utf-8", "surrogateescape")).digest()


class TokenFile:
    """The tokens file at ``path``: add, revoke and list tokens, and check secrets.

    One object serves a whole app (its methods are thread-safe); a missing file holds
    no token.

    Raises (any method):
        ConfigurationError: the file cannot be read, is damaged, or cannot be written.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._snapshot = _Snapshot(key=(-1, -1, -1), entries=())

    def add(self, name: str, *, graphs: Iterable[str], read: bool = True) -> str:
        """Make a token; returns its secret, which is kept nowhere: show it once.

        Raises:
            ConfigurationError: ``name`` is not a short slug or is taken, a graph is not
                an absolute IRI, or the token would have no right at all.
        """
        token = Token(
            _checked_name(name),
            read=read,
            graphs=frozenset(_checked_graph(g) for g in graphs),
            created=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
        )
        if not token.read and not token.graphs:
            raise ConfigurationError(f"token {name!r} would have no right: let it read or write")
        secret = SECRET_PREFIX + secrets.token_urlsafe(SECRET_BYTES)
        with self._editing() as entries:
            if any(e.token.name == name for e in entries):
                raise ConfigurationError(
                    f"there is a token named {name!r} already in {self.path}; choose another "
                    f"name, or revoke it first (`nkgraph token revoke {name}`)"
                )
            entries.append(_Entry(token, _digest(secret)))
        return secret

    def revoke(self, name: str) -> Token:
        """Remove the token named ``name``; returns it.

        Raises:
            ConfigurationError: there is no token of that name.
        """
        with self._editing() as entries:
            for index, entry in enumerate(entries):
                if entry.token.name == name:
                    del entries[index]
                    return entry.token
            known = ", ".join(e.token.name for e in entries) or "none"
            raise ConfigurationError(
                f"{self.path} has no token named {name!r}; its tokens are: {known}"
            )

    def tokens(self) -> tuple[Token, ...]:
        """The tokens, in the order they were made."""
        return tuple(e.token for e in self._current().entries)

    def authenticate(self, secret: str) -> Token | None:
        """The token whose secret is ``secret``, or ``None`` (wrong, revoked, or empty).

        Every entry is compared, in constant time, whatever matched before it: the time
        taken says nothing about which entry, or how much of a digest, matched.
        """
        digest = _digest(secret)
        found: Token | None = None
        for entry in self._current().entries:
            if hmac.compare_digest(entry.digest, digest) and found is None:
                found = entry.token
        return found if secret else None

    def _current(self) -> _Snapshot:
        """The entries, read again if the file changed since they were last read."""
        key = _file_key(self.path)
        with self._lock:
            if key != self._snapshot.key:
                entries = _read_entries(self.path) if key is not None else ()
                self._snapshot = _Snapshot(key, entries)
            return self._snapshot

    @contextlib.contextmanager
    def _editing(self) -> Iterator[list[_Entry]]:
        """The entries as a list to change; written back when the block ends normally.

        An exclusive ``flock`` on the file's directory keeps two ``nkgraph token``
        commands from losing each other's change.
        """
        directory = self.path.parent
        try:
            handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            raise ConfigurationError(
                f"cannot open {directory} for the tokens file: {error.strerror}; create the "
                "directory, or give another --tokens-file"
            ) from error
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            entries = list(_read_entries(self.path) if self.path.exists() else ())
            yield entries
            _write_entries(self.path, entries)
        finally:
            os.close(handle)


def _checked_name(name: str) -> str:
    if _NAME.fullmatch(name) is None:
        raise ConfigurationError(
            f"token name {name!r} is not a short slug: use 1 to 40 lowercase letters, digits, "
            "'-' or '_', starting with a letter or digit (for example alice or review-bot)"
        )
    return name


def _checked_graph(graph: str) -> str:
    if graph in (DEFAULT_GRAPH, ALL_GRAPHS) or _IRI.fullmatch(graph) is not None:
        return graph
    raise ConfigurationError(
        f"{graph!r} is not a graph a token can write: give an absolute IRI (such as "
        "https://w3id.org/nkgraph/graph/reviews), the default graph or every graph"
    )


def _file_key(path: Path) -> tuple[int, int, int] | None:
    """What identifies this state of the file: its inode, size and modification time."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ConfigurationError(f"cannot read the tokens file {path}: {error.strerror}") from error
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _read_entries(path: Path) -> tuple[_Entry, ...]:
    try:
        text = path.read_text(encoding="utf-8")
        if os.stat(path).st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            logger.warning("the tokens file %s can be read by others: chmod 600 it", path)
        document = json.loads(text)
        if document["version"] != FORMAT_VERSION:
            raise ValueError(f"its version is {document['version']!r}, not {FORMAT_VERSION}")
        return tuple(_entry(item) for item in document["tokens"])
    except OSError as error:
        raise ConfigurationError(f"cannot read the tokens file {path}: {error.strerror}") from error
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigurationError(
            f"the tokens file {path} is damaged ({_what(error)}); restore it from a backup, "
            "or remove it and make the tokens again with `nkgraph token add NAME`"
        ) from error


def _what(error: Exception) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
    if isinstance(error, KeyError):
        return f"a field is missing: {error.args[0]!r}"
    return str(error) or type(error).__name__


def _entry(item: dict[str, Any]) -> _Entry:
    graphs = item["graphs"]
    if not isinstance(graphs, list) or not all(isinstance(g, str) for g in graphs):
        raise TypeError(f"the graphs of token {item['name']!r} are not a list of strings")
    if not isinstance(item["read"], bool):
        raise TypeError(f"the read right of token {item['name']!r} is not true or false")
    token = Token(
        _checked_name(str(item["name"])),
        read=item["read"],
        graphs=frozenset(graphs),
        created=_created(item.get("created")),
    )
    digest = bytes.fromhex(item["sha256"])
    if len(digest) != hashlib.sha256().digest_size:
        raise ValueError(f"the sha256 of token {token.name!r} is not 32 bytes")
    return _Entry(token, digest)


def _created(value: object) -> datetime.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"the created time {value!r} is not a string")
    return datetime.datetime.fromisoformat(value)


def _item(entry: _Entry) -> dict[str, Any]:
    token = entry.token
    return {
        "name": token.name,
        "sha256": entry.digest.hex(),
        "read": token.read,
        "graphs": sorted(token.graphs),
        "created": token.created.isoformat() if token.created else None,
    }


def _write_entries(path: Path, entries: list[_Entry]) -> None:
    """Write the file whole, atomically: a temporary file, synced, renamed over it."""
    document = {"version": FORMAT_VERSION, "tokens": [_item(e) for e in entries]}
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        write_new(temporary, data, mode=0o600)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ConfigurationError(
            f"cannot write the tokens file {path}: {error.strerror}"
        ) from error
    sync_directory(path.parent)
