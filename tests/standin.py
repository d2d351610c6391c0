"""A local stand-in for Wikidata: its API (``api.php``) and a SPARQL endpoint.

It runs stdlib ``http.server`` in a thread on a free port (as rdflib's
``test/utils/httpservermock.py`` and httpx's ``server`` fixture do) and answers with the
documented shapes of the Wikidata API:

- ``wbgetentities``: ``{"entities": {id: {...}}}``; an unknown id is ``{"id": …, "missing": ""}``;
  a redirected id is answered under its target with ``"redirects": {"from": …, "to": …}``;
- ``wbsearchentities``: ``{"searchinfo": …, "search": [{"id", "label", "description",
  "match"}], "success": 1}``;
- errors: ``{"error": {"code": …, "info": …}}``;
- refusals queued by a test: ``429``/``503`` with ``Retry-After``.

The SPARQL endpoint answers queued bodies (JSON results or N-Triples) or a failure. Every
request is recorded, with its headers, for the tests to inspect.
"""

# Response shapes stay on one line each, as the API documents them.
# ruff: noqa: E501

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]


@dataclass
class Reply:
    status: int
    body: str = ""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def item(qid: str, label: str, description: str | None = None, *types: str) -> dict[str, Any]:
    """An item as wbgetentities returns it (labels, descriptions, P31 claims)."""
    return {
        "type": "item",
        "id": qid,
        "labels": {"en": {"language": "en", "value": label}},
        "descriptions": (
            {"en": {"language": "en", "value": description}} if description is not None else {}
        ),
        "claims": {
            "P31": [
                {"mainsnak": {"snaktype": "value", "property": "P31",
                              "datavalue": {"value": {"entity-type": "item", "id": t}, "type": "wikibase-entityid"}}}
                for t in types
            ]
        },
    }  # fmt: skip


class StandIn:
    """The stand-in's state: items, redirects, search results, queued replies, requests."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}
        self.redirects: dict[str, str] = {}
        self.searches: dict[str, list[dict[str, Any]]] = {}
        self.queued: deque[Reply] = deque()
        self.sparql: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self.url = ""

    @property
    def api_url(self) -> str:
        return self.url + "/w/api.php"

    @property
    def sparql_url(self) -> str:
        return self.url + "/sparql"

    def answer(self, method: str, path: str, params: dict[str, str]) -> Reply:
        if path.startswith("/sparql"):
            return self.sparql.popleft() if self.sparql else Reply(500, "no reply queued")
        if self.queued:
            return self.queued.popleft()
        action = params.get("action")
        if action == "wbgetentities":
            return Reply(200, json.dumps(self._entities(params.get("ids", ""))))
        if action == "wbsearchentities":
            found = self.searches.get(params.get("search", ""), [])
            body = {"searchinfo": {"search": params.get("search")}, "search": found, "success": 1}
            return Reply(200, json.dumps(body))
        error = {
            "code": "badvalue",
            "info": f'Unrecognized value for parameter "action": {action}.',
        }
        return Reply(200, json.dumps({"error": error}))

    def _entities(self, ids: str) -> dict[str, Any]:
        entities: dict[str, Any] = {}
        for qid in ids.split("|"):
            target = self.redirects.get(qid)
            if target is not None:
                entities[target] = {**self.items[target], "redirects": {"from": qid, "to": target}}
            elif qid in self.items:
                entities[qid] = self.items[qid]
            else:
                entities[qid] = {"id": qid, "missing": ""}
        return {"entities": entities, "success": 1}


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _serve(self) -> None:
            url = urlsplit(self.path)
            params = {k: v[-1] for k, v in parse_qs(url.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                body = self.rfile.read(length).decode()
                if self.headers.get("Content-Type", "").startswith(
                    "application/x-www-form-urlencoded"
                ):
                    params.update({k: v[-1] for k, v in parse_qs(body).items()})
            state.requests.append(Recorded(self.command, url.path, params, dict(self.headers)))
            reply = state.answer(self.command, url.path, params)
            if reply.delay:
                threading.Event().wait(reply.delay)
            data = reply.body.encode()
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = _serve  # noqa: N815 (http.server's names)
        do_POST = _serve  # noqa: N815

    return Handler


def run_standin() -> Iterator[StandIn]:
    """Serve a fresh :class:`StandIn` on a free port for the duration of a fixture."""
    state = StandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
