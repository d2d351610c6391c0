"""Serve under gunicorn, the default server: pre-fork, threaded workers on one socket.

A worker that abandoned a
runaway query marks itself not alive; gunicorn finishes its in-flight requests, and the
arbiter forks a fresh worker from the preloaded app.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from nkgraph.config import Settings
from nkgraph.web.recycle import RecycleOnRunaway

__all__ = ["gunicorn_options", "run"]


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

    def _post_fork(self, server: Any, worker: Any) -> None:
        def replace() -> None:
            worker.alive = False  # gunicorn finishes in-flight requests, then exits

        self.application.replace = replace

    def load(self) -> RecycleOnRunaway:
        return self.application


def gunicorn_options(settings: Settings) -> dict[str, Any]:
    """gunicorn's settings for ``settings``."""
    return {
        "bind": f"{settings.host}:{settings.port}",
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "gthread",
        "preload_app": True,
        # A worker is only killed for missing heartbeats, which a gthread worker sends
        # even while a query runs; keep the margin wide above the query timeout.
        "timeout": int(settings.query_timeout) + 30,
        "graceful_timeout": int(settings.query_timeout) + 5,
        "keepalive": 5,
        # Long GET queries: gunicorn's largest request line (use POST beyond it).
        "limit_request_line": 8190,
        "loglevel": settings.log_level,
        "proc_name": "nkgraph",
    }


def run(app: RecycleOnRunaway, settings: Settings) -> None:
    """Serve ``app`` until interrupted."""
    _Server(app, gunicorn_options(settings)).run()
