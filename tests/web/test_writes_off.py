"""With writes off (the default) every write is refused, and reads carry the data version."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_graph_store_write_is_403_when_writes_are_off(client: FlaskClient, method: str) -> None:
    response = client.open(
        "/graph?default",
        method=method,
        data="<a:b> <a:c> <a:d> .",
        content_type="text/turtle",
        headers={"Accept": "application/problem+json"},
    )
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    assert "read-only" in response.get_json()["detail"]


def test_graph_store_patch_is_405(client: FlaskClient) -> None:
    response = client.open("/graph?default", method="PATCH", data="x", content_type="text/plain")
    assert response.status_code == 405
    assert {"GET", "PUT", "POST", "DELETE"} <= set(response.headers["Allow"].split(", "))


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        pytest.param("application/sparql-update", "CLEAR ALL", id="direct"),
        pytest.param("application/x-www-form-urlencoded", "update=CLEAR+ALL", id="form"),
    ],
)
@pytest.mark.parametrize("path", ["/update", "/sparql"])
def test_update_is_403_when_writes_are_off(
    client: FlaskClient, path: str, content_type: str, body: str
) -> None:
    response = client.post(path, data=body, content_type=content_type)
    assert response.status_code == 403
    assert response.mimetype == "text/plain"
    assert "read-only" in response.get_data(as_text=True)


def test_graph_store_get_is_tagged_with_the_data_version(client: FlaskClient) -> None:
    first = client.get("/graph?default", headers={"Accept": "text/turtle"})
    other = client.get("/graph?default", headers={"Accept": "application/n-triples"})
    assert first.status_code == other.status_code == 200
    assert first.headers["ETag"] == other.headers["ETag"]
    assert "Last-Modified" in first.headers
    again = client.get("/graph?default", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


def test_service_description_names_no_update_endpoint(client: FlaskClient) -> None:
    response = client.get("/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert b"SPARQL11Update" not in response.data
    assert b"SPARQL11Query" in response.data
