"""Bearer tokens in the service: 401 with a challenge, 403 without the right, private reads.

The write checks run on a test route that calls ``web/auth.py`` as the write views do
(``require_write`` with the graphs a change would write); the write views themselves are
tested with their endpoints.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, jsonify, request
from flask.testing import FlaskClient
from liveserver import LiveServer, launch_server, stop_server
from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.curation.patch import DEFAULT_GRAPH
from nkgraph.curation.tokens import TokenFile
from nkgraph.errors import ConfigurationError
from nkgraph.web import create_app
from nkgraph.web.auth import bearer_secret, require_write, write_authoriser

DATA = Path(__file__).parent / "data" / "dataset.trig"
REVIEWS = "https://w3id.org/nkgraph/graph/reviews"
OTHER = "https://w3id.org/nkgraph/graph/other"
PROBLEM_JSON = {"Accept": "application/problem+json"}
CHALLENGE = 'Bearer realm="nkgraph"'
INVALID_CHALLENGE = 'Bearer realm="nkgraph", error="invalid_token"'


def bearer(secret: str, **more: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **more}


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFile:
    """The tokens file, as `nkgraph token add` writes it (a separate object from the app's)."""
    return TokenFile(tmp_path / "tokens.json")


@pytest.fixture
def secrets(tokens: TokenFile) -> dict[str, str]:
    return {
        "curator": tokens.add("curator", graphs=[REVIEWS, DEFAULT_GRAPH]),
        "reader": tokens.add("reader", graphs=[]),
        "blind": tokens.add("blind", graphs=[REVIEWS], read=False),
    }


def make_app(dataset: Dataset, tokens: TokenFile, **settings: object) -> Flask:
    app = create_app(
        Settings.from_env(
            {}, data=(DATA,), union_default_graph=True, tokens_file=tokens.path, **settings
        ),
        dataset=dataset,
    )
    app.testing = True
    app.add_url_rule("/test-write", "test_write", _test_write, methods=["POST"])
    app.add_url_rule("/test-authorise", "test_authorise", _test_authorise, methods=["POST"])
    return app


def _test_write() -> object:
    """Stands for a write view: the graphs are those the staged change would write."""
    token = require_write(request.get_json()["graphs"])
    return jsonify(agent=token.name)


def _test_authorise() -> object:
    """As a write view hands ``authorise`` to ``Curator.commit``, which calls it later."""
    authorise = write_authoriser()
    authorise(request.get_json()["graphs"])
    return jsonify(ok=True)


@pytest.fixture
def client(dataset: Dataset, tokens: TokenFile, secrets: dict[str, str]) -> Iterator[FlaskClient]:
    yield make_app(dataset, tokens).test_client()


@pytest.fixture
def private(dataset: Dataset, tokens: TokenFile, secrets: dict[str, str]) -> FlaskClient:
    return make_app(dataset, tokens, private=True).test_client()


def write(client: FlaskClient, graphs: list[str], headers: dict[str, str]) -> object:
    return client.post("/test-write", json={"graphs": graphs}, headers=headers)


# Writes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "challenge", "detail"),
    [
        ({}, CHALLENGE, "the request has none"),
        ({"Authorization": "Basic YWxpY2U6c2VjcmV0"}, CHALLENGE, "the request has none"),
        ({"Authorization": "Bearer nkg_wrong"}, INVALID_CHALLENGE, "not valid"),
        ({"Authorization": "Bearer "}, INVALID_CHALLENGE, "not valid"),
        ({"Authorization": "Bearer two words"}, INVALID_CHALLENGE, "not valid"),
    ],
    ids=["none", "other-scheme", "wrong", "empty", "malformed"],
)
def test_no_valid_token_is_401_with_a_challenge(
    client: FlaskClient, headers: dict[str, str], challenge: str, detail: str
) -> None:
    response = client.post(
        "/test-write", json={"graphs": [REVIEWS]}, headers=headers | PROBLEM_JSON
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == challenge
    assert response.mimetype == "application/problem+json"
    assert detail in response.get_json()["detail"]
    assert "nkgraph token add" in response.get_json()["detail"]


def test_a_token_with_the_right_may_write(client: FlaskClient, secrets: dict[str, str]) -> None:
    response = client.post(
        "/test-write", json={"graphs": [REVIEWS, DEFAULT_GRAPH]}, headers=bearer(secrets["curator"])
    )
    assert response.status_code == 200
    assert response.get_json() == {"agent": "curator"}


def test_the_scheme_is_case_insensitive(client: FlaskClient, secrets: dict[str, str]) -> None:
    headers = {"Authorization": f"bearer {secrets['curator']}"}
    assert (
        client.post("/test-write", json={"graphs": [REVIEWS]}, headers=headers).status_code == 200
    )


@pytest.mark.parametrize(
    ("who", "graphs", "detail"),
    [
        ("reader", [REVIEWS], "token 'reader' is read-only"),
        ("curator", [REVIEWS, OTHER], f"token 'curator' may not write graph <{OTHER}>"),
    ],
    ids=["read-only", "graph-without-right"],
)
def test_a_token_without_the_right_is_403(
    client: FlaskClient, secrets: dict[str, str], who: str, graphs: list[str], detail: str
) -> None:
    headers = bearer(secrets[who]) | PROBLEM_JSON
    response = client.post("/test-write", json={"graphs": graphs}, headers=headers)
    assert response.status_code == 403
    assert "WWW-Authenticate" not in response.headers
    assert detail in response.get_json()["detail"]


def test_the_authoriser_authenticates_first_and_checks_graphs_later(
    client: FlaskClient, secrets: dict[str, str]
) -> None:
    def post(graphs: list[str], headers: dict[str, str]) -> int:
        return client.post("/test-authorise", json={"graphs": graphs}, headers=headers).status_code

    assert post([REVIEWS], PROBLEM_JSON) == 401
    assert post([OTHER], bearer(secrets["curator"])) == 403
    assert post([REVIEWS], bearer(secrets["curator"])) == 200


def test_a_revoked_token_is_refused_without_a_restart(
    client: FlaskClient, tokens: TokenFile, secrets: dict[str, str]
) -> None:
    headers = bearer(secrets["curator"])
    assert (
        client.post("/test-write", json={"graphs": [REVIEWS]}, headers=headers).status_code == 200
    )
    tokens.revoke("curator")
    response = client.post("/test-write", json={"graphs": [REVIEWS]}, headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == INVALID_CHALLENGE


def test_without_a_tokens_file_every_token_is_refused(dataset: Dataset, tmp_path: Path) -> None:
    app = make_app(dataset, TokenFile(tmp_path / "absent.json"))
    response = write(app.test_client(), [REVIEWS], bearer("nkg_" + "a" * 43))
    assert response.status_code == 401  # type: ignore[attr-defined]


def test_public_reads_need_no_token(client: FlaskClient) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


def test_no_secret_reaches_the_log(
    client: FlaskClient, secrets: dict[str, str], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        for secret in (*secrets.values(), "nkg_notvalid"):
            for graphs in ([REVIEWS], [OTHER]):
                write(client, graphs, bearer(secret))
    assert caplog.records  # the refusals were logged
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    for secret in (*secrets.values(), "nkg_notvalid"):
        assert secret not in logged


@pytest.mark.parametrize(
    ("value", "secret"),
    [
        (None, None),
        ("Basic abc", None),
        ("Bearer abc.DEF-_~+/==", "abc.DEF-_~+/=="),
        ("BEARER  abc", "abc"),
        ("Bearer", ""),
        ("Bearer a=b", ""),
    ],
    ids=["absent", "basic", "b64token", "spaces", "no-token", "bad-character"],
)
def test_bearer_secret(value: str | None, secret: str | None) -> None:
    assert bearer_secret(value) == secret


# Private reads ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/", "/sparql?query=ASK%20%7B%7D", "/context.jsonld", "/static/nkgraph.css", "/no-such-page"],
    ids=["home", "sparql", "download", "static", "unknown-path"],
)
def test_private_reads_need_a_token(private: FlaskClient, path: str) -> None:
    response = private.get(path, headers=PROBLEM_JSON)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == CHALLENGE
    wrong = private.get(path, headers=bearer("nkg_wrong") | PROBLEM_JSON)
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"] == INVALID_CHALLENGE


@pytest.mark.parametrize("who", ["reader", "curator"])
@pytest.mark.parametrize(
    "path",
    ["/", "/sparql?query=ASK%20%7B%7D", "/context.jsonld", "/static/nkgraph.css"],
    ids=["home", "sparql", "download", "static"],
)
def test_private_reads_with_a_reading_token(
    private: FlaskClient, secrets: dict[str, str], path: str, who: str
) -> None:
    with private.get(path, headers={"Authorization": f"Bearer {secrets[who]}"}) as response:
        assert response.status_code == 200
        assert response.cache_control.private
        assert not response.cache_control.public
        assert "Authorization" in response.vary


def test_a_private_download_loses_its_public_cache_control(
    private: FlaskClient, secrets: dict[str, str]
) -> None:
    response = private.get("/context.jsonld", headers=bearer(secrets["reader"]))
    assert response.headers["Cache-Control"] in ("private, max-age=3600", "max-age=3600, private")


def test_a_token_without_the_read_right_may_not_read(
    private: FlaskClient, secrets: dict[str, str]
) -> None:
    response = private.get("/", headers=bearer(secrets["blind"]) | PROBLEM_JSON)
    assert response.status_code == 403
    assert "may not read this private service" in response.get_json()["detail"]


def test_a_cors_preflight_needs_no_token(private: FlaskClient) -> None:
    response = private.options(
        "/sparql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert response.status_code == 200
    allowed = [
        h.strip().lower() for h in response.headers["Access-Control-Allow-Headers"].split(",")
    ]
    assert "authorization" in allowed


def test_private_answers_are_not_cached_for_others(
    dataset: Dataset, tokens: TokenFile, secrets: dict[str, str]
) -> None:
    client = make_app(dataset, tokens, private=True, result_cache=10).test_client()
    path = "/sparql?query=ASK%20%7B%7D"
    accept = {"Accept": "application/sparql-results+json"}
    for _ in range(2):  # the second would be answered from the cache, if there were one
        response = client.get(path, headers=bearer(secrets["reader"], **accept))
        assert response.status_code == 200
        assert response.headers["ETag"]  # an answer the cache would keep
    assert client.get(path, headers=accept).status_code == 401


def test_private_needs_a_tokens_file(dataset: Dataset) -> None:
    settings = Settings.from_env({}, data=(DATA,), private=True)
    with pytest.raises(ConfigurationError, match="private needs tokens"):
        create_app(settings, dataset=dataset)


def test_a_damaged_tokens_file_stops_a_private_service_starting(
    dataset: Dataset, tokens: TokenFile
) -> None:
    tokens.path.write_text(json.dumps({"version": 1}), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="is damaged"):
        make_app(dataset, tokens, private=True)


# A real server ----------------------------------------------------------------------------


def _status(url: str, headers: dict[str, str]) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10):  # noqa: S310
            return 200
    except urllib.error.HTTPError as error:
        error.close()
        return error.code


def _wait_for_refusal(server: LiveServer, *, within: float = 60) -> None:
    """Wait until the private server answers (a 401 to a request without a token)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        assert server.process.poll() is None, "the server exited"
        try:
            if _status(server.url + "/", {}) == 401:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not answer within {within:g} s")


@pytest.mark.live
def test_a_private_server_under_gunicorn_sees_a_revoke_without_a_restart(tmp_path: Path) -> None:
    tokens = TokenFile(tmp_path / "tokens.json")
    secret = tokens.add("reader", graphs=[])
    server = launch_server(
        "--data", str(DATA), "--workers", "2", "--threads", "2",
        env={"NKGRAPH_PRIVATE": "true", "NKGRAPH_TOKENS_FILE": str(tokens.path)},
    )  # fmt: skip
    try:
        _wait_for_refusal(server)
        query = server.endpoint + "?query=ASK%7B%7D"
        # Several requests each, which the two workers share (each has its own TokenFile).
        assert {_status(query, bearer(secret)) for _ in range(8)} == {200}
        assert {_status(query, {}) for _ in range(4)} == {401}
        tokens.revoke("reader")  # as `nkgraph token revoke reader` does
        assert {_status(query, bearer(secret)) for _ in range(8)} == {401}
        later = tokens.add("later", graphs=[])
        assert {_status(query, bearer(later)) for _ in range(8)} == {200}
    finally:
        stop_server(server)
