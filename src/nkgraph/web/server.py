"""Run the service under gunicorn, the production WSGI server.

Why gunicorn: its pre-fork model is what makes the query timeout real. A query that
overruns its deadline is answered 503 and abandoned in its thread (``engine.py``); the
:class:`RecycleOnRunaway` middleware then stops that worker process gracefully, once it
has sent its in-flight responses, and gunicorn's arbiter forks a fresh one from the
preloaded app (the dataset is already in memory, so this takes milliseconds). The
runaway evaluation dies with its process; the other workers go on serving meanwhile.
A single-process server (waitress, Flask's own) could not stop it. granian (a Rust WSGI
server) answers a constant about 1.5 times as fast, and respawns a worker that exits, but
when a respawned worker exits again within seconds it stops the whole server ("worker
crash loop detected", granian 2.8): two runaway queries three seconds apart take the whole
service down (``benchmarks/granian_recycle.py`` shows it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from gunicorn.app.base import BaseApplication
from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError
from nkgraph.graph import load_dataset, load_shapes
from nkgraph.web import create_app, service_state

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["RecycleOnRunaway", "gunicorn_options", "load_served_dataset", "serve"]

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
Environ = dict[str, Any]


class RecycleOnRunaway:
    """WSGI middleware: after a request, stop the worker if a query was abandoned in it."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        with app.app_context():
            self.engine = service_state().engine
        #: The gunicorn worker of this process, set after the fork by ``post_fork``.
        self.worker: Any = None

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        response: Iterable[bytes] = self.app(environ, start_response)
        if self.engine.abandoned and self.worker is not None and self.worker.alive:
            logger.warning(
                "worker %s abandoned a runaway query; replacing it",
                getattr(self.worker, "pid", "?"),
            )
            self.worker.alive = False  # gunicorn finishes in-flight requests, then exits
        return response


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
        self.application.worker = worker

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


def load_served_dataset(settings: Settings) -> Dataset:
    """The data to serve: ``settings.data``, or the shipped graph, which must conform.

    Raises:
        DataLoadError: a file cannot be read or parsed.
        ConfigurationError: the shipped data does not conform to the shipped shapes.
    """
    dataset = load_dataset(list(settings.data) or None)
    if settings.data:
        logger.info("serving %s without validating it", ", ".join(map(str, settings.data)))
        return dataset
    from nkgraph.reporting import render_text
    from nkgraph.validation import validate

    report = validate(dataset, shapes=load_shapes())
    if not report.conforms:
        raise ConfigurationError(
            "the shipped data does not conform to its shapes, so the service will not start:\n"
            + render_text(report)
        )
    return dataset


def serve(settings: Settings) -> None:
    """Load (and validate) the data, then serve it until interrupted.

    Raises:
        DataLoadError: a file cannot be read or parsed.
        ConfigurationError: the shipped data does not conform.
    """
    if settings.store is not None or settings.backend:
        app = create_app(settings)  # nothing to load: the store or the server holds the data
    else:
        app = create_app(settings, dataset=load_served_dataset(settings))
    _Server(RecycleOnRunaway(app), gunicorn_options(settings)).run()
