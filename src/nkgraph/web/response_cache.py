"""Answer repeated SPARQL requests before Flask sees them: a per-worker cache of responses.

With ``NKGRAPH_RESULT_CACHE=N`` above 0, each worker keeps its N most recently used
answers of ``/sparql``. The cache is WSGI middleware in front of the Flask app, so a hit
costs a dictionary lookup instead of a request context, a query reading, content
negotiation and the response's assembly (``benchmarks/README.md`` has the figures).

What is kept: a ``200`` answer that the app tagged with an ``ETag``, which it does only
for an answer that cannot change for this data version (``web/etags.py``); and only bodies of
at most ``MAX_ENTRY_BYTES``. What the key holds: everything of the request the answer
depends on, read raw: method, script root, path, query string, ``Accept``, ``Origin``,
``Host``, scheme and, for a POST, ``Content-Type`` and the body. What goes straight to the
app: other paths, HEAD and OPTIONS, a request with ``If-None-Match`` (the app answers it
304 without evaluating), and a POST whose body has no length or is over the service's
limit (the app refuses it with the right error).

With writes on, the data changes under the cache: the key holds the data version too
(read before the app answers; ``Engine.apply`` sets the version after the quads, so an
answer under a version never predates it), and the entries of older versions are
dropped when a new version is first seen.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["MAX_ENTRY_BYTES", "ResponseCache"]

#: Larger answers are not kept: a few of them would crowd out many small ones.
MAX_ENTRY_BYTES: Final = 1 << 20

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]

_KEY_FIELDS: Final = (
    "REQUEST_METHOD",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "HTTP_ACCEPT",
    "HTTP_ORIGIN",
    "HTTP_HOST",
    "wsgi.url_scheme",
    "CONTENT_TYPE",
)


@dataclass(frozen=True)
class _Entry:
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


class ResponseCache:
    """WSGI middleware: a thread-safe LRU of whole ``/sparql`` responses.

    Args:
        app: the WSGI app behind the cache.
        size: how many responses to keep (at least 1).
        max_body_size: the service's request-body limit; a longer POST is not read here.
        path: the path whose answers are cached.
        version: the data version now (default: one that never changes).
    """

    def __init__(
        self,
        app: WSGIApp,
        *,
        size: int,
        max_body_size: int,
        path: str = "/sparql",
        version: Callable[[], str] = str,
    ) -> None:
        self.app = app
        self.size = size
        self.max_body_size = max_body_size
        self.path = path
        self.version = version
        self._entries: OrderedDict[tuple[object, ...], _Entry] = OrderedDict()
        self._lock = threading.Lock()
        self._version = version()

    def __len__(self) -> int:
        return len(self._entries)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
        if entry is not None:
            start_response(entry.status, list(entry.headers))
            return [entry.body]
        return self._fill(key, environ, start_response)

    def _key(self, environ: Environ) -> tuple[object, ...] | None:
        """The request's key, or ``None`` if its answer is not looked up here."""
        method = environ.get("REQUEST_METHOD")
        if environ.get("PATH_INFO") != self.path or "HTTP_IF_NONE_MATCH" in environ:
            return None
        fields = (self._current_version(), *(environ.get(name) for name in _KEY_FIELDS))
        if method == "GET":
            return fields
        if method != "POST":
            return None
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None  # no length (chunked) or a bad one: the app says what is wrong
        if not 0 <= length <= self.max_body_size:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)  # the app reads it again on a miss
        return (*fields, body)

    def _current_version(self) -> str:
        """The data version, after dropping the entries of an older one."""
        version = self.version()
        if version != self._version:
            with self._lock:
                if version != self._version:
                    self._entries.clear()
                    self._version = version
        return version

    def _fill(
        self, key: tuple[object, ...], environ: Environ, start_response: StartResponse
    ) -> Iterable[bytes]:
        """Ask the app, and keep its answer if it may be reused."""
        seen: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            seen.append((status, headers))
            return start_response(status, headers, *exc_info)

        body = self.app(environ, capture)
        if not seen or not _reusable(*seen[-1]):
            return body
        try:
            data = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        if len(data) <= MAX_ENTRY_BYTES:
            status, headers = seen[-1]
            with self._lock:
                self._entries[key] = _Entry(status, tuple(headers), data)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return [data]


def _reusable(status: str, headers: list[tuple[str, str]]) -> bool:
    return status.startswith("200 ") and any(name.lower() == "etag" for name, _ in headers)
