"""What every write over HTTP does, whichever endpoint it came to: check that writes are
on, authenticate the bearer token, read ``If-Match``, commit one transaction through the
curator, and answer with the new version as ``ETag``.

The transaction itself (lock, freshness, precondition, staging, rights, validation,
journal) is ``curation/commit.py``'s; a write is refused whole with one of the write
errors of ``errors.py``, which ``web/errors.py`` answers.
"""

from __future__ import annotations

import json
from http import HTTPStatus

from flask import Response, request, url_for

from nkgraph.curation.commit import Curator, Stage, version_etag
from nkgraph.curation.journal import Entry
from nkgraph.errors import UpdateNotAllowed
from nkgraph.web.auth import authenticated_token, write_authoriser
from nkgraph.web.state import ServiceState

__all__ = ["committed", "curator_of", "write"]


def curator_of(state: ServiceState) -> Curator:
    """The service's curator.

    Raises:
        UpdateNotAllowed: writes are off.
    """
    if not state.settings.writes or state.curator is None:
        raise UpdateNotAllowed()
    return state.curator


def write(state: ServiceState, stage: Stage, *, summary: str) -> Entry:
    """Commit what ``stage`` makes of the store, as the request's token, as one
    transaction; ``summary`` says what the request asked, for the history.

    Raises:
        UpdateNotAllowed: writes are off.
        AuthenticationRequired: no valid token (before any other work).
        WriteForbidden: the token may not write a graph the change touches.
        PreconditionFailed: ``If-Match`` names another version.
        WriteRejected: the data after the change breaks the shapes.
        WriterBusy: another write held the lock too long.
    """
    curator = curator_of(state)
    authorise = write_authoriser()
    return curator.commit(
        stage,
        agent=authenticated_token().name,
        request=summary,
        if_match=request.headers.get("If-Match"),
        authorise=authorise,
    )


def committed(entry: Entry, *, status: HTTPStatus = HTTPStatus.OK) -> Response:
    """The answer to a committed write: what it changed, its history entry, its version."""
    history = url_for("history.entry", number=entry.number, _external=True)
    summary = {
        "entry": entry.number,
        "removed": len(entry.patch.removed),
        "added": len(entry.patch.added),
        "version": entry.version_after,
        "history": history,
    }
    if request.accept_mimetypes.best_match(["application/json", "text/plain"]) == "text/plain":
        text = (
            f"committed as entry {entry.number}: {summary['removed']} triples removed, "
            f"{summary['added']} added; version {entry.version_after}; see {history}\n"
        )
        response = Response(text, status, mimetype="text/plain")
    else:
        response = Response(mimetype="application/json", status=status)
        response.set_data(json.dumps(summary, ensure_ascii=False))
    response.headers["ETag"] = version_etag(entry.version_after)
    response.headers["Link"] = f'<{history}>; rel="version-history"'
    response.vary.add("Accept")
    return response
