"""Serve under gunicorn, the default server: pre-fork, threaded workers on one socket.

A worker that abandoned a
runaway query marks itself not alive; gunicorn finishes its in-flight requests, and the
arbiter forks a fresh worker from the preloaded app.

Long GET queries: gunicorn caps the request line at 8,190 bytes, whatever its setting says
(``MAX_REQUEST_LINE``). nkgraph raises that cap to :data:`MAX_URI_LENGTH`, the longest URI
granian (through Rust's ``http`` crate) reads, so that both servers take the same GETs;
a longer one is answered 414 by :class:`Worker` in the service's problem+json, saying to
send the query with POST.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from http import HTTPStatus
from typing import Any, Final

from gunicorn import config
from gunicorn.app.base import BaseApplication
from gunicorn.http import message
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

from nkgraph.config import Settings
from nkgraph.serve.recycle import RecycleOnRunaway
from nkgraph.web.errors import PROBLEM_JSON, Problem

__all__ = ["MAX_URI_LENGTH", "Worker", "gunicorn_options", "run"]

#: The longest request line read, in bytes (that of Rust's ``http`` crate, so granian's).
MAX_URI_LENGTH: Final = 65_534


class Worker(ThreadWorker):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's threaded worker, answering a too-long request line in the service's own
    problem+json rather than gunicorn's HTML page. The request's headers are not read by
    then, so its Accept header cannot be honoured."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        status = HTTPStatus.REQUEST_URI_TOO_LONG
        detail = (
            f"the request line is longer than {MAX_URI_LENGTH:,} bytes, the most this service "
            "reads; send a long query with POST, as an application/sparql-query body or a "
            "form (application/x-www-form-urlencoded)"
        )
        body = json.dumps(Problem(status, detail).as_json()).encode()
        head = (
            f"HTTP/1.1 {status.value} {status.phrase}\r\nContent-Type: {PROBLEM_JSON}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        )
        with contextlib.suppress(OSError):  # the client may be gone
            client.sendall(head.encode() + body)


class _Server(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    """gunicorn's embedding API: the app is loaded once, in the arbiter, before forking."""

    def __init__(self, app: RecycleOnRunaway, options: dict[str, Any]) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("post_fork", self._post_fork)
        self.cfg.set("worker_exit", _end_worker)

    def _post_fork(self, server: Any, worker: Any) -> None:
        def replace() -> None:
            worker.alive = False  # gunicorn finishes in-flight requests, then exits

        self.application.replace = replace

    def load(self) -> RecycleOnRunaway:
        return self.application


def _end_worker(server: Any, worker: Any) -> None:
    """End a worker here, with the status it was exiting with, skipping C exit handlers.

    A worker is forked from the arbiter, which opened the store with RocksDB before the
    fork. RocksDB's exit handler joins its background threads, which exist only in the
    arbiter: in a worker it crashed (SIGSEGV, SIGABRT) or waited forever, leaving a stray
    process once the arbiter was gone. Everything a worker must finish (its requests, its
    logs) is finished when gunicorn calls this hook.
    """
    error = sys.exc_info()[1]
    status = error.code if isinstance(error, SystemExit) and isinstance(error.code, int) else 0
    if error is not None and not isinstance(error, SystemExit):
        status = 1
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """gunicorn's settings for ``settings``."""
    # gunicorn 25.1+ opens a control socket at one path per user, which every service on
    # the machine would take from the one before, and through which the worker count
    # could change behind the settings' back: nkgraph runs without it.
    no_control = {"control_socket_disable": True} if hasattr(config, "ControlSocketDisable") else {}
    return {
        **no_control,
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": f"{__name__}.Worker",
        "preload_app": True,
        # A worker is only killed for missing heartbeats, which a gthread worker sends
        # even while a query runs; keep the margin wide above the query timeout.
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": int(settings.query_timeout) + 5,
        "keepalive": 5,
        # Long GET queries: as long as granian reads (use POST beyond it); see ``run``.
        "limit_request_line": MAX_URI_LENGTH,
        "loglevel": settings.log_level,
        "proc_name": "nkgraph",
    }


def run(app: RecycleOnRunaway, settings: Settings) -> None:
    """Serve ``app`` until interrupted."""
    # gunicorn lowers any limit_request_line above this module constant to it; raised
    # here, once, before the workers fork (a process-wide change, and the only one).
    message.MAX_REQUEST_LINE = max(message.MAX_REQUEST_LINE, MAX_URI_LENGTH)
    _Server(app, gunicorn_options(settings)).run()
