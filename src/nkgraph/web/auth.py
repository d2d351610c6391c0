"""Bearer tokens in the service: who is writing, and who may read a private one.

A request names its token with ``Authorization: Bearer SECRET`` (RFC 6750, section
2.1); the secret is checked against the tokens file (``curation/tokens.py``), of which
each app holds one :class:`TokenFile` (``install``), in ``app.extensions``. The write
views call :func:`authenticated_token` (or :func:`write_authoriser`) before any work, so
that a missing or unknown token is a 401 whatever else is wrong, and then check the
graphs the staged change writes (403 for a graph the token may not write).

With ``NKGRAPH_PRIVATE``, every request needs a token with the read right: the pages,
``/sparql``, the downloads and the static files alike (the service has no health or
robots path to leave open). Only a CORS preflight (``OPTIONS``) passes without one,
since browsers never send credentials with it; it reveals nothing. Answers then say
``Cache-Control: private``, so that no shared cache keeps them for another caller.

Secrets never reach a log: nothing here logs a header, and a refusal logs only the
request's method and path.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable
from typing import Final

from flask import Flask, Response, current_app, g, request

from nkgraph.curation.tokens import Token, TokenFile, check_write
from nkgraph.errors import AuthenticationRequired, ConfigurationError, WriteForbidden
from nkgraph.web.state import EXTENSION, ServiceState

__all__ = [
    "TOKENS_EXTENSION",
    "authenticated_token",
    "bearer_secret",
    "install",
    "require_write",
    "token_file",
    "write_authoriser",
]

logger = logging.getLogger(__name__)

#: The key of the app's :class:`TokenFile` (or ``None``: no tokens file) in ``app.extensions``.
TOKENS_EXTENSION: Final = "nkgraph.tokens"
#: RFC 6750's ``b64token``: the characters a bearer token may hold.
_B64TOKEN: Final = re.compile(r"[A-Za-z0-9\-._~+/]+=*")
#: Where the request's checked token is kept in ``flask.g``.
_G_TOKEN: Final = "nkgraph_token"  # noqa: S105 (a name, not a secret)


def install(app: Flask) -> None:
    """Give ``app`` its tokens file (``Settings.tokens_path``) and, with ``private``,
    refuse every request without a token that may read.

    Raises:
        ConfigurationError: ``private`` is set but there is no tokens file to check
            against, or the tokens file is damaged.
    """
    state: ServiceState = app.extensions[EXTENSION]
    settings = state.settings
    path = settings.tokens_path
    if settings.private and path is None:
        raise ConfigurationError(
            "setting private needs tokens to check: serve a store (NKGRAPH_STORE) or set "
            "NKGRAPH_TOKENS_FILE, and make tokens with `nkgraph token add NAME --read-only`"
        )
    tokens = TokenFile(path) if path is not None else None
    app.extensions[TOKENS_EXTENSION] = tokens
    # Read now, so that a damaged file stops the start rather than failing a request.
    if tokens is not None and (settings.writes or settings.private) and not tokens.tokens():
        logger.warning("%s holds no token yet: make one with `nkgraph token add`", path)
    if settings.private:
        app.before_request(_require_reader)
        app.after_request(_keep_private)


def token_file() -> TokenFile | None:
    """The tokens file of the app handling the current request (``None``: there is none)."""
    tokens: TokenFile | None = current_app.extensions.get(TOKENS_EXTENSION)
    return tokens


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer`` header value; ``None`` when there is no
    bearer token (no header, or another scheme), ``""`` when it is malformed."""
    if authorization is None:
        return None
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    credentials = credentials.strip(" ")
    return credentials if _B64TOKEN.fullmatch(credentials) else ""


def authenticated_token() -> Token:
    """The token the current request carries, checked once per request.

    Raises:
        AuthenticationRequired: the request has no bearer token (``invalid=False``), or
            one that is wrong, malformed or revoked (``invalid=True``).
    """
    known: Token | None = g.get(_G_TOKEN)
    if known is not None:
        return known
    secret = bearer_secret(request.headers.get("Authorization"))
    if secret is None:
        raise AuthenticationRequired(invalid=False)
    tokens = token_file()
    token = tokens.authenticate(secret) if tokens is not None and secret else None
    if token is None:
        logger.info("refused a bearer token that is not valid: %s %s", request.method, request.path)
        raise AuthenticationRequired(invalid=True)
    setattr(g, _G_TOKEN, token)
    return token


def require_write(graphs: Iterable[str]) -> Token:
    """The request's token, if it may write every graph of ``graphs``.

    Raises:
        AuthenticationRequired: no valid token (401).
        WriteForbidden: the token may not write one of ``graphs`` (403).
    """
    token = authenticated_token()
    check_write(token, graphs)
    return token


def write_authoriser() -> Callable[[Iterable[str]], None]:
    """Authenticate the request now (a 401 before any work), and return the check of the
    graphs a staged change writes: ``Curator.commit``'s ``authorise``.

    Raises:
        AuthenticationRequired: no valid token (401).
    """
    return functools.partial(check_write, authenticated_token())


def _require_reader() -> None:
    """``before_request`` of a private service: a token that may read, or no answer."""
    if request.method == "OPTIONS":
        return
    token = authenticated_token()
    if not token.read:
        raise WriteForbidden(token.name, "may not read this private service")


def _keep_private(response: Response) -> Response:
    """``after_request`` of a private service: no shared cache may keep the answer."""
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.add("Authorization")
    return response
