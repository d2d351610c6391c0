"""Writes over HTTP on an app with writes on: /update, the Graph Store's writes, 401, 403,
412, 422 and the history pages, each on its own copy of a store of the shipped graph."""

from __future__ import annotations

import doctest
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import html
from rdflib import Dataset, Graph
from writestore import BAD, GOOD, GRAPH, WriteStore, build_shipped_store, copy_store

import nkgraph.web.history
from nkgraph.config import Settings
from nkgraph.web import create_app

ASK_GOOD = f'ASK {{ GRAPH <{GRAPH}> {{ ?p <http://schema.org/name> "Ana" }} }}'
ASK_BAD = "ASK { <https://w3id.org/nkgraph/id/nameless> ?p ?o }"


@pytest.fixture(scope="module")
def shipped_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped_store(tmp_path_factory.mktemp("shipped") / "store")


@pytest.fixture
def store(shipped_store: Path, tmp_path: Path) -> WriteStore:
    return copy_store(shipped_store, tmp_path / "store")


@pytest.fixture
def writes(store: WriteStore) -> Iterator[FlaskClient]:
    app = create_app(Settings(store=store.directory, writes=True, query_timeout=10.0))
    app.testing = True
    yield app.test_client()


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def _ask(client: FlaskClient, query: str) -> bool:
    response = client.get(
        "/sparql", query_string={"query": query}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200, response.data
    answer: bool = response.get_json()["boolean"]
    return answer


def _update(client: FlaskClient, text: str, secret: str | None, **headers: str) -> object:
    sent = {**(_bearer(secret) if secret else {}), **headers}
    return client.post("/update", data=text, content_type="application/sparql-update", headers=sent)


def test_update_without_a_token_is_401(writes: FlaskClient) -> None:
    response = writes.post(
        "/update",
        data=GOOD,
        content_type="application/sparql-update",
        headers={"Accept": "application/problem+json"},
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert not _ask(writes, ASK_GOOD)


def test_update_with_a_wrong_token_is_401(writes: FlaskClient) -> None:
    response = _update(writes, GOOD, "nkg_not-a-token")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert "invalid_token" in response.headers["WWW-Authenticate"]  # type: ignore[attr-defined]


def test_update_by_a_token_without_the_right_is_403(writes: FlaskClient, store: WriteStore) -> None:
    response = _update(writes, GOOD, store.reader)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert "reader" in response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert not _ask(writes, ASK_GOOD)


def test_update_that_breaks_a_shape_is_422_and_changes_nothing(
    writes: FlaskClient, store: WriteStore
) -> None:
    assert not _ask(writes, ASK_BAD)
    response = _update(writes, BAD, store.writer, Accept="application/problem+json")
    assert response.status_code == 422  # type: ignore[attr-defined]
    problem = response.get_json()  # type: ignore[attr-defined]
    assert problem["status"] == 422
    [violation] = [v for v in problem["violations"] if v["severity"] == "Violation"]
    assert violation["focusNode"]["value"] == "https://w3id.org/nkgraph/id/nameless"
    assert "schema:name" in violation["message"]
    assert not _ask(writes, ASK_BAD)
    assert writes.get("/history/1").status_code == 404


def test_rejected_update_gives_the_turtle_report_by_conneg(
    writes: FlaskClient, store: WriteStore
) -> None:
    response = _update(writes, BAD, store.writer, Accept="text/turtle")
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert response.mimetype == "text/turtle"  # type: ignore[attr-defined]
    report = Graph().parse(data=response.data, format="turtle")  # type: ignore[attr-defined]
    conforms = report.query(
        "ASK { ?r a <http://www.w3.org/ns/shacl#ValidationReport> ; "
        "<http://www.w3.org/ns/shacl#conforms> false }"
    )
    assert conforms.askAnswer


def test_good_update_commits_and_is_in_the_history(writes: FlaskClient, store: WriteStore) -> None:
    before = writes.get("/graph?default", headers={"Accept": "text/turtle"}).headers["ETag"]
    response = _update(writes, GOOD, store.writer, Accept="application/json")
    assert response.status_code == 200, response.data  # type: ignore[attr-defined]
    summary = response.get_json()  # type: ignore[attr-defined]
    assert summary["entry"] == 1
    assert summary["removed"] == 0
    assert summary["added"] >= 2
    assert response.headers["ETag"] == f'"{summary["version"]}"'  # type: ignore[attr-defined]
    assert response.headers["ETag"] != before  # type: ignore[attr-defined]
    assert _ask(writes, ASK_GOOD)
    after = writes.get("/graph?default", headers={"Accept": "text/turtle"}).headers["ETag"]
    assert after == response.headers["ETag"]  # type: ignore[attr-defined]

    page = html.fromstring(writes.get("/history", headers={"Accept": "text/html"}).data)
    assert page.xpath("//table//a[@href='/history/1']")
    assert page.xpath("//td[text()='curator']")
    entry = writes.get("/history/1", headers={"Accept": "text/html"})
    rows = html.fromstring(entry.data).xpath("//tbody/tr[@class='added']")
    assert len(rows) == summary["added"]
    patch = writes.get("/history/1?format=rdf-patch")
    assert patch.mimetype == "text/rdf-patch"
    assert '"Ana"' in patch.get_data(as_text=True)


def test_history_as_rdf(writes: FlaskClient, store: WriteStore) -> None:
    _update(writes, GOOD, store.writer)
    response = writes.get("/history", headers={"Accept": "application/trig"})
    assert response.status_code == 200
    history = Dataset(default_union=True).parse(data=response.data, format="trig")
    found = history.query(
        "ASK { ?change a <http://www.w3.org/ns/prov#Activity> ; "
        "<http://www.w3.org/ns/prov#wasAssociatedWith> ?who }"
    )
    assert found.askAnswer


def test_form_update_with_if_match(writes: FlaskClient, store: WriteStore) -> None:
    etag = writes.get("/graph?default").headers["ETag"]
    stale = writes.post(
        "/update",
        data={"update": GOOD},
        headers={**_bearer(store.writer), "If-Match": '"not-the-version"'},
    )
    assert stale.status_code == 412
    assert not _ask(writes, ASK_GOOD)
    fresh = writes.post(
        "/update", data={"update": GOOD}, headers={**_bearer(store.writer), "If-Match": etag}
    )
    assert fresh.status_code == 200, fresh.data
    again = writes.post(
        "/update", data={"update": GOOD}, headers={**_bearer(store.writer), "If-Match": etag}
    )
    assert again.status_code == 412


@pytest.mark.parametrize(
    ("kwargs", "status", "says"),
    [
        pytest.param({"query_string": {"update": "CLEAR ALL"}}, 405, "POST", id="get"),
        pytest.param(
            {"data": "CLEAR ALL", "content_type": "text/plain", "method": "POST"},
            415,
            "application/sparql-update",
            id="wrong-type",
        ),
        pytest.param(
            {"data": {"update": ["CLEAR ALL", "CLEAR ALL"]}, "method": "POST"},
            400,
            "exactly one",
            id="two-updates",
        ),
        pytest.param(
            {
                "data": "INSERT DATA {",
                "content_type": "application/sparql-update",
                "method": "POST",
            },
            400,
            "not valid",
            id="syntax",
        ),
        pytest.param(
            {
                "data": "CLEAR ALL".encode("utf-16"),
                "content_type": "application/sparql-update",
                "method": "POST",
            },
            400,
            "UTF-8",
            id="not-utf8",
        ),
    ],
)
def test_bad_update_requests(
    writes: FlaskClient, store: WriteStore, kwargs: dict[str, object], status: int, says: str
) -> None:
    method = str(kwargs.pop("method", "GET"))
    response = writes.open("/update", method=method, headers=_bearer(store.writer), **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.data
    assert says in response.get_data(as_text=True)


def test_update_sent_to_sparql_is_pointed_to_update(writes: FlaskClient, store: WriteStore) -> None:
    response = writes.post(
        "/sparql",
        data=GOOD,
        content_type="application/sparql-update",
        headers=_bearer(store.writer),
    )
    assert response.status_code == 400
    assert "/update" in response.get_data(as_text=True)


TURTLE = (
    "<https://w3id.org/nkgraph/id/new-person> a <http://xmlns.com/foaf/0.1/Person> ; "
    '<http://schema.org/name> "Ana" .'
)


def test_graph_store_put_post_delete(writes: FlaskClient, store: WriteStore) -> None:
    auth = _bearer(store.writer)
    created = writes.put(
        "/graph",
        query_string={"graph": GRAPH},
        data=TURTLE,
        content_type="text/turtle",
        headers=auth,
    )
    assert created.status_code == 201, created.data
    assert GRAPH in created.headers["Location"].replace("%3A", ":").replace("%2F", "/")
    got = writes.get(
        "/graph", query_string={"graph": GRAPH}, headers={"Accept": "application/n-triples"}
    )
    assert got.status_code == 200
    assert got.headers["ETag"] == created.headers["ETag"]
    assert len(got.get_data(as_text=True).strip().splitlines()) == 2

    added = writes.post(
        "/graph",
        query_string={"graph": GRAPH},
        data='<https://w3id.org/nkgraph/id/new-person> <http://schema.org/alternateName> "A." .',
        content_type="application/n-triples",
        headers={**auth, "If-Match": got.headers["ETag"]},
    )
    assert added.status_code == 200, added.data
    deleted = writes.delete("/graph", query_string={"graph": GRAPH}, headers=auth)
    assert deleted.status_code == 200, deleted.data
    assert not _ask(writes, ASK_GOOD)
    gone = writes.delete("/graph", query_string={"graph": GRAPH}, headers=auth)
    assert gone.status_code == 404
    assert writes.get("/history/3").status_code == 200


def test_graph_store_put_with_a_stale_etag_is_412(writes: FlaskClient, store: WriteStore) -> None:
    response = writes.put(
        "/graph",
        query_string={"graph": GRAPH},
        data=TURTLE,
        content_type="text/turtle",
        headers={**_bearer(store.writer), "If-Match": '"old"'},
    )
    assert response.status_code == 412
    assert not _ask(writes, ASK_GOOD)


def test_graph_store_body_errors(writes: FlaskClient, store: WriteStore) -> None:
    auth = {**_bearer(store.writer), "Accept": "application/problem+json"}
    wrong = writes.put(
        "/graph", query_string={"graph": GRAPH}, data="a,b", content_type="text/csv", headers=auth
    )
    assert wrong.status_code == 415
    broken = writes.put(
        "/graph",
        query_string={"graph": GRAPH},
        data="<a:s> <a:p> <a:o> .\n<a:s> <a:p> .\n",
        content_type="text/turtle",
        headers=auth,
    )
    assert broken.status_code == 400
    problem = broken.get_json()
    assert problem["line"] == 2
    assert "Turtle" in problem["detail"]


def test_graph_store_put_that_breaks_a_shape_is_422(writes: FlaskClient, store: WriteStore) -> None:
    response = writes.put(
        "/graph",
        query_string={"graph": GRAPH},
        data="<https://w3id.org/nkgraph/id/nameless> a <http://xmlns.com/foaf/0.1/Person> .",
        content_type="text/turtle",
        headers={**_bearer(store.writer), "Accept": "application/json"},
    )
    assert response.status_code == 422
    assert json.loads(response.data)["violations"]
    assert not _ask(writes, ASK_BAD)


def test_served_read_only_a_store_keeps_its_committed_writes(
    writes: FlaskClient, store: WriteStore
) -> None:
    assert _update(writes, GOOD, store.writer).status_code == 200  # type: ignore[attr-defined]
    app = create_app(Settings(store=store.directory, query_timeout=10.0))
    app.testing = True
    read_only = app.test_client()
    assert _ask(read_only, ASK_GOOD)
    page = html.fromstring(read_only.get("/history", headers={"Accept": "text/html"}).data)
    assert page.xpath("//table//a[@href='/history/1']")
    refused = _update(read_only, GOOD, store.writer)
    assert refused.status_code == 403  # type: ignore[attr-defined]
    assert "read-only" in refused.get_data(as_text=True)  # type: ignore[attr-defined]


def test_cors_preflight_of_a_graph_store_write(store: WriteStore) -> None:
    settings = Settings(store=store.directory, writes=True, cors_origins=("*",))
    app = create_app(settings)
    response = app.test_client().options(
        "/graph?default",
        headers={
            "Origin": "https://elsewhere.example",
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, if-match, content-type",
        },
    )
    assert response.status_code == 200
    assert {"PUT", "DELETE"} <= set(response.headers["Access-Control-Allow-Methods"].split(", "))
    assert "If-Match" in response.headers["Access-Control-Allow-Headers"]
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]


def test_docstring_examples_run() -> None:
    failed, tried = doctest.testmod(nkgraph.web.history)
    assert tried > 0
    assert failed == 0


def test_service_description_names_the_update_endpoint(writes: FlaskClient) -> None:
    response = writes.get("/sparql", headers={"Accept": "text/turtle"})
    description = Graph().parse(data=response.data, format="turtle")
    found = description.query(
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "ASK { ?update sd:endpoint ?update ; sd:supportedLanguage sd:SPARQL11Update . "
        "FILTER(STRENDS(STR(?update), '/update')) }"
    )
    assert found.askAnswer


def test_graph_store_post_of_several_documents(writes: FlaskClient, store: WriteStore) -> None:
    """A multipart/form-data POST adds every part (Graph Store Protocol, 5.5), each read in
    its own format, and the same blank-node label in two parts names two nodes."""
    person = "<https://w3id.org/nkgraph/id/new-person>"
    turtle = f'{person} a <http://xmlns.com/foaf/0.1/Person> ; <http://schema.org/name> "Ana" .'
    knows = f'{person} <http://schema.org/knowsAbout> _:b0 .\n_:b0 <http://schema.org/name> "x" .'

    def parts() -> dict[str, tuple[io.BytesIO, str, str]]:
        return {
            "first": (io.BytesIO(f"{turtle}\n{knows}".encode()), "a.ttl", "text/turtle"),
            "second": (io.BytesIO(knows.encode()), "b.nt", "application/n-triples"),
        }

    posted = writes.post(
        "/graph",
        query_string={"graph": GRAPH},
        data=parts(),
        content_type="multipart/form-data",
        headers=_bearer(store.writer),
    )
    assert posted.status_code == 201, posted.data
    assert posted.get_json()["added"] == 6
    assert _ask(
        writes, f"ASK {{ {person} <http://schema.org/knowsAbout> ?a, ?b FILTER(?a != ?b) }}"
    )
    refused = writes.put(
        "/graph",
        query_string={"graph": GRAPH},
        data=parts(),
        content_type="multipart/form-data",
        headers={**_bearer(store.writer), "Accept": "application/problem+json"},
    )
    assert refused.status_code == 415  # several documents only by POST
    assert "a graph cannot be sent as multipart/form-data" in refused.get_json()["detail"]
