"""The response cache follows the data version: a new version is never answered from the
entries of an older one."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

from nkgraph.web.response_cache import ResponseCache


def _environ() -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/sparql",
        "QUERY_STRING": "query=ASK{}",
        "wsgi.input": io.BytesIO(),
    }


def _call(cache: ResponseCache) -> bytes:
    return b"".join(cache(_environ(), lambda status, headers, *exc: None))


def test_a_new_version_is_not_answered_from_the_old_entries() -> None:
    version = ["v1"]
    calls: list[str] = []

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        calls.append(version[0])
        start_response("200 OK", [("ETag", f'"{version[0]}"')])
        return [version[0].encode()]

    cache = ResponseCache(app, size=4, max_body_size=1000, version=lambda: version[0])
    assert _call(cache) == b"v1"
    assert _call(cache) == b"v1"
    assert calls == ["v1"]  # the second was a hit
    version[0] = "v2"
    assert _call(cache) == b"v2"
    assert calls == ["v1", "v2"]
    assert len(cache) == 1  # the entry of v1 was dropped
