"""The W3C Reconciliation Service API (version 0.2, as OpenRefine uses it) at ``/reconcile``.

``GET /reconcile`` gives the service manifest; ``queries=`` (by GET or a POST form) holds
a JSON object of queries, ``{"q0": {"query": "Pashinyan", "type": …, "limit": 3}}``, and
is answered ``{"q0": {"result": [candidates]}}``.
"""

from __future__ import annotations

import json
from typing import Any, Final

from flask import Blueprint, Response, jsonify, request

from nkgraph.errors import ProtocolError
from nkgraph.pages.reconcile import RECONCILE_TYPES, Entity, reconcile
from nkgraph.sparql.prepare import prepare
from nkgraph.web.state import service_state

__all__ = ["bp"]

bp = Blueprint("reconcile", __name__)

_LABELS: Final = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
SELECT ?entity ?label ?class WHERE {
  ?entity a ?class ; rdfs:label ?label .
  FILTER (isIRI(?entity))
  FILTER NOT EXISTS { ?entity <https://w3id.org/nkgraph/ontology#notStated> schema:name }
  VALUES ?class { %s }
}"""


@bp.route("/reconcile", methods=["GET", "POST"])
def reconcile_endpoint() -> Response:
    raw = request.values.get("queries")
    if raw is None:
        return jsonify(_manifest())
    try:
        queries = json.loads(raw)
    except ValueError:
        raise ProtocolError("queries= is not JSON; send a JSON object of queries") from None
    if not isinstance(queries, dict) or not all(isinstance(q, dict) for q in queries.values()):
        raise ProtocolError('queries= must be an object like {"q0": {"query": "..."}}')
    entities = _entities()
    return jsonify(
        {
            key: {"result": [c.as_json() for c in reconcile(q, entities)]}
            for key, q in queries.items()
        }
    )


def _manifest() -> dict[str, Any]:
    return {
        "versions": ["0.2"],
        "name": "nkgraph: people, organisations and places of the knowledge graph",
        "identifierSpace": "https://w3id.org/nkgraph/id/",
        "schemaSpace": "http://schema.org/",
        "defaultTypes": [{"id": t, "name": name} for t, (name, _) in RECONCILE_TYPES.items()],
        "view": {"url": "{{id}}"},
    }


def _entities() -> list[Entity]:
    classes = {c: t for t, (_, cs) in RECONCILE_TYPES.items() for c in cs}
    text = _LABELS % " ".join(f"<{c}>" for c in classes)
    state = service_state()
    result = state.engine.run(
        prepare(text),
        timeout=state.settings.query_timeout,
        max_rows=state.settings.max_rows,
        union_default_graph=True,  # entities from every graph, as the pages show them
    )
    found: dict[str, tuple[list[str], set[str]]] = {}
    for row in result.solutions:
        names, types = found.setdefault(row["entity"].value, ([], set()))
        label = row["label"].value
        if label not in names:
            names.append(label)
        types.add(classes[row["class"].value])
    return [
        Entity(iri, names[0], tuple(names), tuple(sorted(types)))
        for iri, (names, types) in found.items()
    ]
