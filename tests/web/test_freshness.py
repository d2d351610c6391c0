"""The freshness middleware: every request first brings the worker up to the last commit."""

from __future__ import annotations

from werkzeug.test import Client
from werkzeug.wrappers import Response

from nkgraph.web.freshness import Freshness


def _app(environ: dict[str, object], start_response: object) -> Response:
    return Response("answered")(environ, start_response)  # type: ignore[arg-type]


def test_refresh_runs_before_every_request() -> None:
    calls: list[int] = []
    client = Client(Freshness(_app, lambda: calls.append(1)))
    assert client.get("/").get_data(as_text=True) == "answered"
    client.get("/sparql")
    assert len(calls) == 2


def test_a_worker_that_cannot_catch_up_answers_503() -> None:
    def broken() -> None:
        raise OSError("journal entry unreadable")

    response = Client(Freshness(_app, broken)).get("/")
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["Retry-After"] == "1"
    assert "last change" in response.get_json()["detail"]
