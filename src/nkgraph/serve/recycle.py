"""Replace a worker process after it abandoned a runaway query.

pyoxigraph cannot interrupt a query: one that overruns its deadline is answered 503 and
left running in its thread (``sparql/engine.py``). Only the end of its process stops it, so the
server replaces the worker as soon as its in-flight responses are sent; the other
workers go on serving meanwhile, and the data is already loaded in the process the new
worker is forked from, so this takes milliseconds.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from nkgraph.web.state import service_state

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["RecycleOnRunaway"]

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Environ = dict[str, Any]


class RecycleOnRunaway:
    """WSGI middleware: after a request, have the worker replaced if a query was abandoned
    in it. ``replace`` is the server's way of doing so; it is called once per worker."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        with app.app_context():
            self.engine = service_state().engine
        #: Asks the server for a fresh worker; set by the server before it forks.
        self.replace: Callable[[], None] | None = None
        self._replacing = False

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        response: Iterable[bytes] = self.app(environ, start_response)
        if self.engine.abandoned and not self._replacing and self.replace is not None:
            self._replacing = True
            logger.warning("worker %d abandoned a runaway query; replacing it", os.getpid())
            self.replace()
        return response
