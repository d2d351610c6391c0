"""Results that cannot change between two versions of the data: ETag, 304, and a cache.

A query's answer is a function of the data and of the request, unless the query calls a
remote service or a function whose value changes per call (``NOW``, ``RAND``, ``UUID``,
``STRUUID``, ``BNODE``). For every other query the service sends an ``ETag`` (a hash of
the data version and the normalised request) and ``Last-Modified`` (when the data was
loaded), and answers a matching ``If-None-Match`` with 304 before evaluating anything.
With ``NKGRAPH_RESULT_CACHE`` above 0, each worker also keeps that many serialised
responses, least recently used first out.

The data version is the engine's (``Engine.version``): new at every load, and fixed in
a store at build time, so gunicorn's workers agree on it. A backend server's data may
change under the service, so nothing is tagged or cached there (its version is empty).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from flask import Response, current_app, request

from nkgraph.query import PreparedQuery, tokens

__all__ = ["ResultCache", "cached"]

_EXTENSION: Final = "nkgraph.result-cache"
_VOLATILE: Final = frozenset({"NOW", "RAND", "UUID", "STRUUID", "BNODE"})


@dataclass(frozen=True)
class _Entry:
    body: bytes
    headers: tuple[tuple[str, str], ...]


class ResultCache:
    """A thread-safe LRU of serialised responses, keyed by ETag."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> _Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: _Entry) -> None:
        with self._lock:
            self._entries[key] = entry
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def etag(
    version: str,
    query: PreparedQuery,
    graphs: tuple[Sequence[str], Sequence[str]],
    fmt: str,
    max_rows: int,
    base_iri: str,
) -> str | None:
    """The (strong) ETag of the answer, unquoted; ``None`` if it may change by itself."""
    if not version or query.services:
        return None
    words = [t.text for t in tokens(query.text)]
    if any(w.upper() in _VOLATILE for w in words):
        return None
    # Normalised: tokens without white space and comments, so layout does not matter.
    parts = [version, "\x1f".join(words), *graphs[0], "\x1e", *graphs[1]]
    parts += [fmt, str(max_rows), base_iri]
    return hashlib.sha256("\x1d".join(parts).encode()).hexdigest()[:32]


def cached(tag: str | None, last_modified: object, produce: Callable[[], Response]) -> Response:
    """Answer 304 when the client holds ``tag``; else the cached or ``produce``d response."""
    if tag is None:
        return produce()
    if request.if_none_match.contains_weak(tag):  # RFC 9110: weak comparison for 304
        response = Response(status=304)
        _validators(response, tag, last_modified)
        return response
    store = _store()
    entry = store.get(tag) if store is not None else None
    if entry is not None:
        response = Response(entry.body, headers=list(entry.headers))
    else:
        response = produce()
        if store is not None and response.status_code == 200:
            store.put(tag, _Entry(response.get_data(), tuple(response.headers.items())))
    _validators(response, tag, last_modified)
    return response


def _validators(response: Response, tag: str, last_modified: object) -> None:
    response.set_etag(tag)
    response.last_modified = last_modified  # type: ignore[assignment]
    response.vary.add("Accept")


def _store() -> ResultCache | None:
    size: int = current_app.extensions["nkgraph"].settings.result_cache
    if size < 1:
        return None
    cache: ResultCache = current_app.extensions.setdefault(_EXTENSION, ResultCache(size))
    return cache
