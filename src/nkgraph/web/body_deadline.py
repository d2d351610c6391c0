"""Read each request body before the app runs, and give up on a client that stops sending.

A POST whose Content-Length promises more bytes than the client sends would otherwise hold
a worker thread on a blocking read until the client goes away. This middleware reads the
body first, waiting at most ``read_timeout`` seconds for each next part of it:

- under gunicorn, on the connection's socket (``gunicorn.socket``) with a timeout; on
  expiry the socket's reading side is shut, so gunicorn closes the connection after the
  answer instead of waiting for the rest of the body;
- under any other server (granian), in a helper thread; granian ends that thread's read
  once the answer is sent.

A body that does not arrive in time is answered 408 by the app itself (so in the client's
format: problem+json, HTML or text), flagged by :data:`TIMED_OUT`.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
from collections.abc import Callable, Iterable
from typing import IO, Any, Final

__all__ = ["TIMED_OUT", "BodyDeadline"]

#: Set in the WSGI environ when the body did not arrive in time.
TIMED_OUT: Final = "nkgraph.body_timed_out"
_CHUNK: Final = 65_536

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class BodyDeadline:
    """WSGI middleware: the body is read within ``seconds`` of each last progress, or the
    request is flagged :data:`TIMED_OUT` (with an empty body) for the app to refuse."""

    def __init__(self, app: WsgiApp, *, seconds: float, max_body_size: int) -> None:
        self.app = app
        self.seconds = seconds
        self.max_body_size = max_body_size

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        expected = self._expected_length(environ)
        if expected:
            body = self._read(environ, expected)
            if body is None:
                environ[TIMED_OUT] = self.seconds
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)

    def _expected_length(self, environ: Environ) -> int:
        """How many bytes to read: the Content-Length, or up to one past the largest body
        accepted for a chunked one; 0 when there is no body, or one too large to read
        (the app answers 413 without reading it)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return 0
        if length > self.max_body_size:
            return 0
        if not length and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
            return self.max_body_size + 1
        return max(length, 0)

    def _read(self, environ: Environ, length: int) -> bytes | None:
        stream: IO[bytes] = environ["wsgi.input"]
        sock = environ.get("gunicorn.socket")
        if isinstance(sock, socket.socket):
            return _read_from_socket(stream, sock, length, self.seconds)
        return _read_in_thread(stream, length, self.seconds)


def _read_from_socket(
    stream: IO[bytes], sock: socket.socket, length: int, seconds: float
) -> bytes | None:
    sock.settimeout(seconds)
    try:
        body = _read_all(stream, length, lambda: None)
    except OSError:  # TimeoutError among them
        with contextlib.suppress(OSError):  # the rest of the body will never be read
            sock.shutdown(socket.SHUT_RD)
        return None
    sock.settimeout(None)
    return body


def _read_in_thread(stream: IO[bytes], length: int, seconds: float) -> bytes | None:
    progress = threading.Event()
    outcome: list[bytes] = []

    def read() -> None:
        try:
            outcome.append(_read_all(stream, length, progress.set))
        except OSError:
            pass
        finally:
            progress.set()

    reader = threading.Thread(target=read, name="nkgraph-body", daemon=True)
    reader.start()
    while reader.is_alive():
        if not progress.wait(seconds):
            return None
        progress.clear()
    return outcome[0] if outcome else None


def _read_all(stream: IO[bytes], length: int, advanced: Callable[[], None]) -> bytes:
    """Up to ``length`` bytes of ``stream``, fewer if it ends first."""
    parts: list[bytes] = []
    remaining = length
    while remaining > 0:
        part = stream.read(min(remaining, _CHUNK))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
        advanced()
    return b"".join(parts)
