"""The real Wikidata client against a local stand-in that speaks the API's documented shapes."""

# Test tables keep one case per line, however long: rows read better than wrapped calls.
# ruff: noqa: E501

from __future__ import annotations

import json

import pytest
from standin import Reply, StandIn, item

from nkgraph.errors import WikidataApiError, WikidataUnavailable
from nkgraph.wikidata.client import Entity, MissingEntity, WikidataClient, item_iri, qid_of


def client(standin: StandIn, sleeps: list[float], **options: object) -> WikidataClient:
    options = {"min_interval": 0.0, "max_retries": 2, **options}
    return WikidataClient(
        standin.api_url,
        sparql_url=standin.sparql_url,
        user_agent="nkgraph-tests/1 (https://example.org/contact)",
        sleep=sleeps.append,
        **options,  # type: ignore[arg-type]
    )


def test_entities_found_redirected_missing(standin: StandIn) -> None:
    standin.items["Q399"] = item("Q399", "Armenia", "country in the Caucasus", "Q6256")
    standin.items["Q2"] = item("Q2", "Earth", "planet")
    standin.redirects["Q1000"] = "Q2"
    with client(standin, []) as wd:
        found = wd.get_entities(["Q399", "Q1000", "Q404"])
    assert found["Q399"] == Entity("Q399", "Q399", "Armenia", "country in the Caucasus", ("Q6256",))
    assert found["Q1000"].redirected and found["Q1000"].id == "Q2"  # type: ignore[union-attr]
    assert found["Q404"] == MissingEntity("Q404")


def test_sends_user_agent_and_json_format(standin: StandIn) -> None:
    with client(standin, []) as wd:
        wd.get_entities(["Q1"])
    request = standin.requests[0]
    assert request.headers["User-Agent"] == "nkgraph-tests/1 (https://example.org/contact)"
    assert (request.params["action"], request.params["format"]) == ("wbgetentities", "json")


@pytest.mark.parametrize("status", [429, 503])
def test_retries_after_retry_after(standin: StandIn, status: int) -> None:
    standin.queued.append(Reply(status, "slow down", "text/plain", {"Retry-After": "7"}))
    standin.items["Q1"] = item("Q1", "Universe")
    sleeps: list[float] = []
    with client(standin, sleeps) as wd:
        assert wd.get_entities(["Q1"])["Q1"].label == "Universe"  # type: ignore[union-attr]
    assert sleeps == [7.0]
    assert len(standin.requests) == 2


def test_gives_up_after_retries(standin: StandIn) -> None:
    standin.queued.extend(Reply(503, "down", "text/plain", {"Retry-After": "1"}) for _ in range(5))
    sleeps: list[float] = []
    with client(standin, sleeps) as wd, pytest.raises(WikidataUnavailable, match="503 after 2"):
        wd.get_entities(["Q1"])
    assert sleeps == [1.0, 1.0]


def test_maxlag_error_is_retried(standin: StandIn) -> None:
    lag = {"error": {"code": "maxlag", "info": "Waiting for a database server: 6 seconds lagged."}}
    standin.queued.append(Reply(200, json.dumps(lag), headers={"Retry-After": "5"}))
    sleeps: list[float] = []
    with client(standin, sleeps) as wd:
        assert isinstance(wd.get_entities(["Q9"])["Q9"], MissingEntity)
    assert sleeps == [5.0]


def test_api_error(standin: StandIn) -> None:
    error = {
        "error": {"code": "no-such-entity", "info": 'Could not find an entity with the ID "Qx".'}
    }
    standin.queued.append(Reply(200, json.dumps(error)))
    with client(standin, []) as wd, pytest.raises(WikidataApiError, match="no-such-entity"):
        wd.get_entities(["Qx"])


def test_unreachable() -> None:
    wd = WikidataClient("http://127.0.0.1:9/w/api.php", user_agent="t", min_interval=0)
    with wd, pytest.raises(WikidataUnavailable, match="cannot be reached"):
        wd.search("Armenia")


def test_search_is_ranked(standin: StandIn) -> None:
    standin.searches["Armenia"] = [
        {"id": "Q399", "label": "Armenia", "description": "country", "match": {"type": "label", "text": "Armenia"}},
        {"id": "Q1", "label": "Armenia (disambiguation)", "match": {"type": "alias", "text": "Armenia"}},
    ]  # fmt: skip
    with client(standin, []) as wd:
        found = wd.search("Armenia")
    assert [(c.rank, c.id, c.description) for c in found] == [
        (1, "Q399", "country"),
        (2, "Q1", None),
    ]
    assert standin.requests[0].params["type"] == "item"


def test_requests_are_paced(standin: StandIn) -> None:
    sleeps: list[float] = []
    with client(standin, sleeps, min_interval=5.0) as wd:
        wd.search("a")
        wd.search("b")
    assert len(sleeps) == 1 and 4.0 < sleeps[0] <= 5.0


def test_item_iris() -> None:
    assert item_iri("Q399") == "http://www.wikidata.org/entity/Q399"
    assert qid_of("http://www.wikidata.org/entity/Q399") == "Q399"
    assert qid_of("https://www.wikidata.org/wiki/Q399") is None
    with pytest.raises(ValueError, match="not a Wikidata item"):
        item_iri("P31")
