"""A small, polite client of the Wikidata API and Query Service, with typed results.

Used by the ``nkgraph wikidata`` commands, never by a request to the service: Wikidata links
are data, checked and stored ahead of time, so the service keeps serving when Wikidata is
down. The client

- sends a descriptive ``User-Agent`` (Wikimedia's User-Agent policy requires one);
- waits at least ``min_interval`` seconds between two requests (one at a time, as the API
  etiquette asks);
- retries a ``429`` or ``503`` (and the API's ``maxlag`` error) after the ``Retry-After``
  the server gives, or an increasing pause, at most ``max_retries`` times;
- turns the API's answers into frozen dataclasses: :class:`Entity` (with the redirect it
  went through, if any), :class:`MissingEntity`, :class:`SearchCandidate`.

The base URLs are settings (``NKGRAPH_WIKIDATA_API_URL``, ``NKGRAPH_WIKIDATA_SPARQL_URL``),
which is how the tests point the real client at a local stand-in server.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import httpx

from nkgraph.config import Settings
from nkgraph.errors import WikidataApiError, WikidataUnavailable
from nkgraph.formats import N_TRIPLES, SPARQL_JSON, Format

__all__ = [
    "ENTITY_PREFIX",
    "Entity",
    "EntityLookup",
    "MissingEntity",
    "SearchCandidate",
    "WikidataClient",
    "item_iri",
    "qid_of",
]

logger = logging.getLogger(__name__)

#: The namespace of Wikidata's entity IRIs (``wd:``).
ENTITY_PREFIX: Final = "http://www.wikidata.org/entity/"
_QID: Final = re.compile(r"Q[1-9][0-9]*")
_RETRY_STATUSES: Final = frozenset({429, 503})
#: Entities per wbgetentities request: the API's limit for ordinary clients.
_BATCH: Final = 50


def item_iri(qid: str) -> str:
    """The entity IRI of item ``qid`` (``Q399`` -> ``http://www.wikidata.org/entity/Q399``)."""
    if not _QID.fullmatch(qid):
        raise ValueError(f"{qid!r} is not a Wikidata item identifier (Q followed by digits)")
    return ENTITY_PREFIX + qid


def qid_of(iri: str) -> str | None:
    """The item identifier of a Wikidata entity IRI, or ``None`` if it is not one."""
    if iri.startswith(ENTITY_PREFIX) and _QID.fullmatch(iri[len(ENTITY_PREFIX) :]):
        return iri[len(ENTITY_PREFIX) :]
    return None


@dataclass(frozen=True)
class Entity:
    """A Wikidata item as ``wbgetentities`` returned it.

    Args:
        id: the item's identifier now (the target, if ``requested`` redirected).
        requested: the identifier that was asked for.
        label: its label in the language asked for, if it has one.
        description: its description in that language, if it has one.
        instance_of: the items of its "instance of" (P31) statements.
    """

    id: str
    requested: str
    label: str | None
    description: str | None
    instance_of: tuple[str, ...] = ()

    @property
    def redirected(self) -> bool:
        """Whether the identifier asked for now redirects to another item (a merge)."""
        return self.id != self.requested


@dataclass(frozen=True)
class MissingEntity:
    """An identifier Wikidata does not know, or whose item was deleted."""

    requested: str


EntityLookup = Entity | MissingEntity


@dataclass(frozen=True)
class SearchCandidate:
    """One result of ``wbsearchentities``, in Wikidata's own rank order."""

    id: str
    label: str | None
    description: str | None
    match_type: str | None = None
    match_text: str | None = None
    rank: int = 0


class WikidataClient:
    """Asks the Wikidata API and Query Service, politely, and returns typed results.

    Args:
        api_url: the ``api.php`` endpoint.
        sparql_url: the Query Service endpoint.
        user_agent: the ``User-Agent`` sent with every request.
        min_interval: least seconds between two requests.
        timeout: longest seconds one request may take.
        max_retries: retries of a 429/503 or a ``maxlag`` refusal before giving up.
        transport: an httpx transport (for tests); default, the network.
        sleep: how to wait (for tests); default, :func:`time.sleep`.
    """

    def __init__(
        self,
        api_url: str,
        *,
        sparql_url: str = "https://query.wikidata.org/sparql",
        user_agent: str,
        min_interval: float = 1.0,
        timeout: float = 30.0,
        max_retries: int = 3,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api_url = api_url
        self.sparql_url = sparql_url
        self.min_interval = min_interval
        self.max_retries = max_retries
        self._sleep = sleep
        self._last: float | None = None
        self._http = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            timeout=timeout,
            transport=transport,
            follow_redirects=True,
        )

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> WikidataClient:
        """A client configured by ``settings`` (URLs, User-Agent, pace, timeout)."""
        return cls(
            settings.wikidata_api_url,
            sparql_url=settings.wikidata_sparql_url,
            user_agent=settings.user_agent,
            min_interval=settings.wikidata_min_interval,
            timeout=settings.wikidata_timeout,
            **options,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> WikidataClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def get_entities(self, ids: Iterable[str], *, language: str = "en") -> dict[str, EntityLookup]:
        """Look up items by identifier, following redirects; keyed by the identifier asked.

        Raises:
            WikidataUnavailable: Wikidata cannot be reached, or keeps refusing.
            WikidataApiError: the API answered with an error.
        """
        wanted = list(dict.fromkeys(ids))
        found: dict[str, EntityLookup] = {}
        for start in range(0, len(wanted), _BATCH):
            batch = wanted[start : start + _BATCH]
            body = self._api(
                action="wbgetentities",
                ids="|".join(batch),
                props="labels|descriptions|claims",
                languages=language,
                redirects="yes",
            )
            found.update(_entities(body, batch, language))
        return found

    def search(
        self, text: str, *, language: str = "en", limit: int = 7
    ) -> tuple[SearchCandidate, ...]:
        """Items whose label or alias matches ``text``, ranked as Wikidata ranks them.

        Raises:
            WikidataUnavailable: Wikidata cannot be reached, or keeps refusing.
            WikidataApiError: the API answered with an error.
        """
        body = self._api(
            action="wbsearchentities",
            search=text,
            language=language,
            uselang=language,
            type="item",
            limit=str(limit),
        )
        return tuple(
            SearchCandidate(
                id=str(row.get("id")),
                label=row.get("label"),
                description=row.get("description"),
                match_type=(row.get("match") or {}).get("type"),
                match_text=(row.get("match") or {}).get("text"),
                rank=rank,
            )
            for rank, row in enumerate(body.get("search") or [], start=1)
        )

    def sparql(self, query: str) -> Mapping[str, Any]:
        """The SPARQL JSON results of ``query`` on the Query Service.

        Raises:
            WikidataUnavailable: the Query Service cannot be reached, or keeps refusing.
        """
        return _json(self._post_query(query, SPARQL_JSON), self.sparql_url)

    def construct(self, query: str) -> str:
        """The N-Triples answer of a CONSTRUCT ``query`` on the Query Service.

        Raises:
            WikidataUnavailable: the Query Service cannot be reached, or keeps refusing.
        """
        return self._post_query(query, N_TRIPLES).text

    # -- transport -----------------------------------------------------------------------

    def _post_query(self, query: str, answer_in: Format) -> httpx.Response:
        """POST ``query`` to the Query Service as a form, asking for ``answer_in``."""
        return self._send(
            "POST",
            self.sparql_url,
            data={"query": query},
            headers={"Accept": answer_in.media_type},
        )

    def _api(self, **params: str) -> Mapping[str, Any]:
        query = {**params, "format": "json", "maxlag": "5"}
        for attempt in range(self.max_retries + 1):
            response = self._send("GET", self.api_url, params=query)
            body = _json(response, self.api_url)
            error = body.get("error")
            if not isinstance(error, dict):
                return body
            code, info = str(error.get("code", "unknown")), str(error.get("info", ""))
            if code != "maxlag" or attempt == self.max_retries:
                raise WikidataApiError(code, info)
            self._wait_before_retry(response, attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _send(self, method: str, url: str, **options: Any) -> httpx.Response:
        for attempt in range(self.max_retries + 1):
            self._pace()
            try:
                response = self._http.request(method, url, **options)
            except httpx.TimeoutException as error:
                raise WikidataUnavailable(url, f"no answer in time ({error})") from error
            except httpx.HTTPError as error:
                raise WikidataUnavailable(url, str(error) or type(error).__name__) from error
            if response.status_code not in _RETRY_STATUSES:
                if response.status_code >= 400:
                    raise WikidataUnavailable(url, f"HTTP {response.status_code}")
                return response
            if attempt == self.max_retries:
                raise WikidataUnavailable(
                    url, f"HTTP {response.status_code} after {self.max_retries} retries"
                )
            self._wait_before_retry(response, attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _pace(self) -> None:
        now = time.monotonic()
        if self._last is not None and now - self._last < self.min_interval:
            self._sleep(self.min_interval - (now - self._last))
        self._last = time.monotonic()

    def _wait_before_retry(self, response: httpx.Response, attempt: int) -> None:
        seconds = _retry_after(response.headers.get("Retry-After"), default=2.0 ** (attempt + 1))
        logger.info(
            "Wikidata asked us to wait (%s); retrying in %g s", response.status_code, seconds
        )
        self._sleep(seconds)


def _retry_after(value: str | None, *, default: float) -> float:
    """Seconds from a ``Retry-After`` header (delta-seconds only; dates fall back)."""
    if value is not None and value.strip().isdigit():
        return min(float(value.strip()), 300.0)
    return default


def _json(response: httpx.Response, url: str) -> Mapping[str, Any]:
    try:
        body = response.json()
    except ValueError as error:
        raise WikidataUnavailable(url, "the answer is not JSON") from error
    if not isinstance(body, dict):
        raise WikidataUnavailable(url, "the answer is not a JSON object")
    return body


def _entities(
    body: Mapping[str, Any], requested: Sequence[str], language: str
) -> dict[str, EntityLookup]:
    entities: Mapping[str, Any] = body.get("entities") or {}
    redirects = {
        str(e["redirects"]["from"]): key
        for key, e in entities.items()
        if isinstance(e, dict) and isinstance(e.get("redirects"), dict)
    }
    result: dict[str, EntityLookup] = {}
    for qid in requested:
        key = redirects.get(qid, qid)
        entity = entities.get(key)
        if not isinstance(entity, dict) or "missing" in entity:
            result[qid] = MissingEntity(qid)
            continue
        result[qid] = Entity(
            id=str(entity.get("id", key)),
            requested=qid,
            label=_text(entity.get("labels"), language),
            description=_text(entity.get("descriptions"), language),
            instance_of=_item_values(entity.get("claims"), "P31"),
        )
    return result


def _text(values: Any, language: str) -> str | None:
    if isinstance(values, dict) and isinstance(values.get(language), dict):
        value = values[language].get("value")
        return str(value) if value is not None else None
    return None


def _item_values(claims: Any, prop: str) -> tuple[str, ...]:
    if not isinstance(claims, dict):
        return ()
    values = []
    for claim in claims.get(prop) or []:
        value = (((claim or {}).get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            values.append(value["id"])
    return tuple(values)
