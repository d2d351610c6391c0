"""The web service: ``create_app(settings)`` builds a Flask app serving one dataset.

Everything the views need lives in ``app.extensions["nkgraph"]`` as a
:class:`ServiceState`, reached through :func:`service_state` (both in ``web/state.py``, so
the blueprints never import this package); there is no module-level app or graph, so tests
can build many apps side by side.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from flask import Flask, Response, request
from rdflib import Dataset
from werkzeug.exceptions import RequestTimeout

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError
from nkgraph.sparql.engine import QueryEngine
from nkgraph.web.auth import install as install_auth
from nkgraph.web.body_deadline import TIMED_OUT, BodyDeadline
from nkgraph.web.freshness import Freshness
from nkgraph.web.state import EXTENSION as _EXTENSION
from nkgraph.web.state import (
    TRUNCATED_HEADER,
    WARNING_HEADER,
    ServiceState,
    service_state,
)

if TYPE_CHECKING:  # the curator (and pySHACL, which it imports) loads with writes on only
    from nkgraph.curation.commit import Curator

__all__ = [
    "TRUNCATED_HEADER",
    "WARNING_HEADER",
    "ServiceState",
    "create_app",
    "service_state",
]


def create_app(
    settings: Settings | None = None,
    *,
    engine: QueryEngine | None = None,
    dataset: Dataset | None = None,
    curator: Curator | None = None,
) -> Flask:
    """A Flask app answering with ``engine`` (default: ``open_engine(settings)``, on
    ``dataset`` when given: data loaded already, as many tests have it). With writes on,
    ``curator`` commits them (default: ``Curator.open(settings, engine)``).

    Raises:
        DataLoadError: a data file cannot be read or parsed.
        ConfigurationError: the shipped data does not conform, or a store cannot be opened
            (or, with writes on, its journal).
    """
    from nkgraph.sparql.opening import open_engine
    from nkgraph.web import (
        errors,
        exports,
        graph_store,
        history,
        pages,
        reading,
        reconcile,
        sparql,
        ui,
        update,
    )

    settings = settings if settings is not None else Settings.from_env()
    if engine is None:
        engine = open_engine(settings, dataset=dataset)
    if curator is None and _needs_curator(settings):
        curator = _open_curator(settings, engine)
    source = _source_name(settings)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_size
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions[_EXTENSION] = ServiceState(
        settings=settings,
        engine=engine,
        source=source,
        loaded_at=datetime.datetime.now(datetime.UTC).replace(microsecond=0),
        curator=curator,
    )
    errors.register_error_handlers(app)
    install_auth(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(ui.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(reading.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(graph_store.bp)
    app.register_blueprint(reconcile.bp)
    app.register_blueprint(update.bp)
    app.register_blueprint(history.bp)
    app.after_request(_cors)
    # A cached answer is served before Flask checks a token, so a private service has none.
    if settings.result_cache and not settings.private:
        from nkgraph.web.response_cache import ResponseCache

        app.wsgi_app = ResponseCache(  # type: ignore[method-assign]
            app.wsgi_app,
            size=settings.result_cache,
            max_body_size=settings.max_body_size,
            version=lambda: engine.version,
        )
    app.wsgi_app = BodyDeadline(  # type: ignore[method-assign]
        app.wsgi_app, seconds=settings.read_timeout, max_body_size=settings.max_body_size
    )
    app.before_request(_refuse_late_body)
    if curator is not None:
        app.wsgi_app = Freshness(app.wsgi_app, curator.refresh)  # type: ignore[method-assign]
    return app


def _needs_curator(settings: Settings) -> bool:
    """Writes are on, or the store served has committed writes to replay (and to follow,
    should another service write to it): read-only, it serves them all the same."""
    if settings.writes:
        return True
    if settings.store is None or settings.backend:
        return False
    from nkgraph.sparql.store import has_writes

    return has_writes(settings.store)


def _open_curator(settings: Settings, engine: QueryEngine) -> Curator:
    """The curator of the store served (with the shipped shapes' gate).

    Raises:
        ConfigurationError: the data is not served from a store, in process.
    """
    from nkgraph.curation.commit import Curator
    from nkgraph.sparql.engine import Engine

    if not isinstance(engine, Engine):
        raise ConfigurationError(
            "writes need the data served from a store in this process: give --store DIR "
            "and no --backend"
        )
    return Curator.open(settings, engine)


def _refuse_late_body() -> None:
    """408 for a request whose body did not arrive in time (``body_deadline.py``)."""
    seconds = request.environ.get(TIMED_OUT)
    if seconds is not None:
        raise RequestTimeout(
            f"the request body did not arrive within {seconds:g} s (NKGRAPH_READ_TIMEOUT); "
            "send the whole body at once, as long as its Content-Length says"
        )


def _source_name(settings: Settings) -> str:
    if settings.backend:
        return settings.backend
    if settings.store is not None:
        return f"store {settings.store}"
    return ", ".join(str(p) for p in settings.data) if settings.data else "shipped graph"


def _cors(response: Response) -> Response:
    """CORS for any listed origin (``*`` for all), without credentials."""
    origins = service_state().settings.cors_origins
    origin = request.headers.get("Origin")
    if not origins or origin is None:
        return response
    if "*" in origins:
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif origin in origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.vary.add("Origin")
    else:
        return response
    writes = service_state().settings.writes
    exposed = f"{TRUNCATED_HEADER}, {WARNING_HEADER}" + (", ETag, Location, Link" if writes else "")
    response.headers["Access-Control-Expose-Headers"] = exposed
    if request.method == "OPTIONS":
        methods = "GET, POST, PUT, DELETE" if writes else "GET, POST"
        response.headers["Access-Control-Allow-Methods"] = methods
        allowed = "Accept, Authorization, Content-Type" + (", If-Match" if writes else "")
        response.headers["Access-Control-Allow-Headers"] = allowed
        response.headers["Access-Control-Max-Age"] = "86400"
    return response
