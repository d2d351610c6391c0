"""Reconciliation (the W3C Reconciliation Service API, as OpenRefine speaks it) over this
graph's people, organisations and places.

A reconciliation query is ``{"query": "Pashinyan", "type": "http://schema.org/Person",
"limit": 3}``; the answer ranks entities by how well their labels match, with a score from
0 to 100 and ``match: true`` only for a single exact label match.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["RECONCILE_TYPES", "Candidate", "Entity", "reconcile"]

_SCHEMA = "http://schema.org/"
#: The types a query may ask for, and the classes of the graph each covers.
RECONCILE_TYPES: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    _SCHEMA + "Person": ("Person", (_SCHEMA + "Person",)),
    _SCHEMA + "Organization": (
        "Organization",
        (
            *(
                _SCHEMA + c
                for c in ("Organization", "NewsMediaOrganization", "GovernmentOrganization", "NGO")
            ),
            "https://w3id.org/nkgraph/ontology#ArmedForces",
            "https://w3id.org/nkgraph/ontology#SocialMediaPlatform",
        ),
    ),
    _SCHEMA + "Place": (
        "Place",
        (
            _SCHEMA + "Place",
            _SCHEMA + "Country",
            "https://w3id.org/nkgraph/ontology#SelfDeclaredState",
        ),
    ),
}


@dataclass(frozen=True)
class Entity:
    """A reconcilable entity: its IRI, labels and reconciliation types."""

    id: str
    name: str
    names: tuple[str, ...]
    types: tuple[str, ...]


@dataclass(frozen=True)
class Candidate:
    """One ranked answer to a reconciliation query."""

    entity: Entity
    score: float
    match: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.entity.id,
            "name": self.entity.name,
            "type": [{"id": t, "name": RECONCILE_TYPES[t][0]} for t in self.entity.types],
            "score": round(self.score, 1),
            "match": self.match,
        }


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in text if c.isalnum() or c.isspace()).split())


def _score(query: str, name: str) -> float:
    q, n = _norm(query), _norm(name)
    if not q or not n:
        return 0.0
    if q == n:
        return 100.0
    ratio = difflib.SequenceMatcher(None, q, n).ratio()
    tokens = set(q.split()) & set(n.split())
    coverage = len(tokens) / len(set(q.split()))
    return 100.0 * max(ratio, 0.9 * coverage)


def reconcile(query: Mapping[str, Any], entities: Iterable[Entity]) -> list[Candidate]:
    """Rank ``entities`` against one reconciliation query (``query``, ``type``, ``limit``)."""
    text = str(query.get("query", ""))
    wanted = query.get("type")
    types: Sequence[str] = [wanted] if isinstance(wanted, str) else list(wanted or [])
    limit = int(query.get("limit") or 10)
    scored = []
    for entity in entities:
        if types and not set(types) & set(entity.types):
            continue
        score = max(_score(text, name) for name in entity.names)
        if score >= 50:
            scored.append((score, entity))
    scored.sort(key=lambda pair: (-pair[0], pair[1].name))
    exact = [e for s, e in scored if s == 100.0]
    return [Candidate(e, s, s == 100.0 and len(exact) == 1) for s, e in scored[:limit]]
