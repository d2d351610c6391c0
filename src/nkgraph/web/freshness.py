"""Bring a worker's data up to the last commit before it answers: WSGI middleware.

With writes on, any worker process may commit, and each holds its own copy of the data.
Before every request this middleware calls ``Curator.refresh()``: one ``stat`` of the
journal's next entry, and when another worker committed it, applying that entry (and
any after it) to this worker's engine. It is the outermost layer, before the response
cache and the body deadline, so that the cache keys on the refreshed version and every
request sees every commit acknowledged before it arrived.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from nkgraph.web.errors import PROBLEM_JSON, Problem

__all__ = ["Freshness"]

logger = logging.getLogger(__name__)

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WSGIApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class Freshness:
    """WSGI middleware calling ``refresh`` before ``app`` answers each request.

    Args:
        app: the WSGI app.
        refresh: brings the data up to date; any exception it raises is logged and the
            request answered 503, since the data may be behind the last commit.
    """

    def __init__(self, app: WSGIApp, refresh: Callable[[], object]) -> None:
        self.app = app
        self.refresh = refresh

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            self.refresh()
        except Exception:
            logger.exception("could not apply the journal's newest entries")
            return _unavailable(start_response)
        return self.app(environ, start_response)


def _unavailable(start_response: StartResponse) -> Iterable[bytes]:
    status = HTTPStatus.SERVICE_UNAVAILABLE
    detail = (
        "this worker could not bring its data up to the last change, so it does not "
        "answer (the failure has been logged); try again in a moment"
    )
    body = json.dumps(Problem(status, detail).as_json()).encode()
    headers = [
        ("Content-Type", PROBLEM_JSON),
        ("Content-Length", str(len(body))),
        ("Retry-After", "1"),
    ]
    start_response(f"{status.value} {status.phrase}", headers)
    return [body]
