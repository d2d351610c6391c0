"""Settings of the SPARQL service: defaults, then ``NKGRAPH_*`` variables, then overrides.

``Settings.from_env()`` reads the environment once (in the app factory or the command
line), never inside a request. Every field has a default, a variable and a line in the
README; ``tests/test_config.py`` checks that the three agree.

>>> Settings.from_env({"NKGRAPH_PORT": "9000"}, query_timeout=5.0).port
9000
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from nkgraph.errors import ConfigurationError

__all__ = ["ENV_PREFIX", "Settings"]

ENV_PREFIX: Final = "NKGRAPH_"
#: The WSGI servers ``nkgraph serve`` can run under, the default first.
SERVERS: Final = ("gunicorn", "granian")
#: The largest ``max_nesting`` allowed: each level was parsed without trouble on the
#: engine's query threads (``engine.STACK_SIZE``) at 2,000 levels.
MAX_NESTING_CEILING: Final = 2_000


@dataclass(frozen=True, kw_only=True)
class Settings:
    """How the service runs. Field ``x`` is read from the variable ``NKGRAPH_X``."""

    #: Interface to listen on; the default keeps the service private to this machine.
    host: str = "127.0.0.1"
    #: TCP port to listen on.
    port: int = 8000
    #: Worker processes; each answers queries on its own core, and one that is stuck in
    #: a runaway query is replaced.
    workers: int = 2
    #: Threads per worker process.
    threads: int = 4
    #: The WSGI server: ``gunicorn`` (the sound default) or ``granian`` (Rust, faster, but
    #: replacing a worker after a runaway query can fail a few concurrent requests).
    server: str = "gunicorn"
    #: RDF files or folders to serve instead of the shipped graph (``os.pathsep``-separated
    #: in the variable); empty means the shipped ontology and data.
    data: tuple[Path, ...] = ()
    #: Whether the default graph of a query is the union of all graphs. Empty (the
    #: default): the union for the shipped graph, and for a store, what ``nkgraph load``
    #: recorded; for ``data``, the data's own default graph, as SPARQL 1.1 defines it.
    union_default_graph: bool | None = None
    #: Serve nkgraph's ontology with ``data``, in its own named graph (the shipped graph
    #: always has it).
    with_ontology: bool = False
    #: Derive the truthy graph from the data's nkgraph statements (data without such
    #: statements gets nothing); false never adds it.
    truthy: bool = True
    #: Longest a query may run, in seconds; a client may ask for less with ``timeout=``.
    query_timeout: float = 30.0
    #: Most rows (SELECT) or triples (CONSTRUCT, DESCRIBE) in one result; more are cut,
    #: and the response says so.
    max_rows: int = 10_000
    #: Longest query accepted, in characters.
    max_query_length: int = 100_000
    #: Largest request body accepted, in bytes.
    max_body_size: int = 1_000_000
    #: Deepest nesting of a query accepted: groups ``{ }``, brackets ``( )`` ``[ ]`` and
    #: unary operators in a row, counted before the engine parses (at most 2,000: the
    #: parser is recursive, and far deeper nesting would overflow its stack).
    max_nesting: int = 200
    #: Longest wait for the next bytes of a request body, in seconds; a client that
    #: stops sending is answered 408 and its connection closed.
    read_timeout: float = 5.0
    #: Origins allowed by CORS (comma-separated in the variable); ``*`` allows any, and an
    #: empty value turns CORS off.
    cors_origins: tuple[str, ...] = ("*",)
    #: IRI prefixes a ``SERVICE`` clause may call (space- or comma-separated); empty
    #: means the service never makes an outbound request. The Wikidata Query Service is
    #: on it by default, so that queries can join this graph with Wikidata.
    service_allowlist: tuple[str, ...] = ("https://query.wikidata.org/sparql",)
    #: Longest a ``SERVICE`` endpoint may take to answer, in seconds (then a 504).
    service_timeout: float = 20.0
    #: The Wikidata API (``wbgetentities``, ``wbsearchentities``) the ``nkgraph wikidata``
    #: tools call; tests point it at a local stand-in.
    wikidata_api_url: str = "https://www.wikidata.org/w/api.php"
    #: The Wikidata Query Service that ``nkgraph wikidata snapshot`` asks.
    wikidata_sparql_url: str = "https://query.wikidata.org/sparql"
    #: Least time between two requests to Wikidata, in seconds (its etiquette asks for
    #: one request at a time).
    wikidata_min_interval: float = 1.0
    #: Longest one request to Wikidata may take, in seconds.
    wikidata_timeout: float = 30.0
    #: The User-Agent of every outbound request (Wikimedia's policy asks for a name and a
    #: way to reach the operator; a deployment adds its own contact).
    user_agent: str = "nkgraph/0.1 (https://w3id.org/nkgraph; Wikidata link checker and federation)"
    #: Logging level of the service: debug, info, warning or error.
    log_level: str = "info"
    #: The IRI prefix this service resolves: ``{base_iri}id/x`` is served at ``/id/x``.
    #: A deployment on its own domain, with data minted there, sets its own.
    base_iri: str = "https://w3id.org/nkgraph/"
    #: An on-disk store built by ``nkgraph load --store DIR`` to serve, instead of loading
    #: (and validating) the RDF files at startup: a restart takes a second, whatever its size.
    store: Path | None = None
    #: An external SPARQL 1.1 server to answer queries instead of the embedded engine,
    #: as ``sparql+http(s)://HOST/PATH`` (its query endpoint); empty means the embedded one.
    backend: str = ""
    #: Most results kept in each worker's result cache (0 turns it off). A result is
    #: reused only for the same data version and the same normalised request.
    result_cache: int = 0
    #: ``serve --store``: a store of at most this many quads is copied into memory at
    #: startup (0: never). RocksDB lookups make queries 3 to 9 times slower than the
    #: in-memory store; a copy costs about 1 s per 100,000 quads, and memory.
    store_in_memory: int = 100_000
    #: Accept SPARQL Update (``/update``) and Graph Store writes (``PUT``, ``POST``,
    #: ``DELETE`` on ``/graph``) from holders of a token with the right; needs ``store``.
    #: Each write is checked against the shapes before it commits, and kept in the history.
    writes: bool = False
    #: The file of hashed bearer tokens (``nkgraph token add NAME``); empty: ``tokens.json``
    #: in the ``store`` directory.
    tokens_file: Path | None = None
    #: Reads need a token too (any valid token): for a deployment that is not public.
    private: bool = False
    #: Longest a write waits for the write before it to finish, in seconds (then 503).
    write_wait: float = 10.0
    #: The SHACL shapes (an RDF file) every write is checked against; empty: the shipped
    #: shapes. A service of other data than the article's names shapes that fit it.
    shapes: Path | None = None

    def __post_init__(self) -> None:
        for name in ("port", "workers", "threads", "max_rows", "max_query_length", "max_nesting"):
            if getattr(self, name) < 1:
                raise ConfigurationError(f"setting {name} must be at least 1")
        if self.port > 65_535:
            raise ConfigurationError("setting port must be at most 65535")
        if self.max_nesting > MAX_NESTING_CEILING:
            raise ConfigurationError(
                f"setting max_nesting must be at most {MAX_NESTING_CEILING:,}: deeper queries "
                "can overflow the parser's stack"
            )
        if self.query_timeout <= 0:
            raise ConfigurationError("setting query_timeout must be a positive number of seconds")
        for name in ("service_timeout", "wikidata_timeout", "read_timeout", "write_wait"):
            if not getattr(self, name) > 0:
                raise ConfigurationError(f"setting {name} must be a positive number of seconds")
        if self.wikidata_min_interval < 0:
            raise ConfigurationError("setting wikidata_min_interval must not be negative")
        if self.result_cache < 0:
            raise ConfigurationError("setting result_cache must not be negative")
        if self.store_in_memory < 0:
            raise ConfigurationError("setting store_in_memory must not be negative")
        if self.backend and not re.fullmatch(r"sparql\+https?://\S+", self.backend):
            raise ConfigurationError(
                f"setting backend is {self.backend!r}; use sparql+http://HOST/PATH (or "
                "sparql+https://), the external server's SPARQL query endpoint"
            )
        if self.writes and self.store is None:
            raise ConfigurationError(
                "setting writes needs a store to write to: build one with `nkgraph load "
                "--store DIR` and serve it with --store DIR (NKGRAPH_STORE)"
            )
        if self.max_body_size < 1:
            raise ConfigurationError("setting max_body_size must be at least 1 byte")
        if not re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+/", self.base_iri):
            raise ConfigurationError(
                f"setting base_iri is {self.base_iri!r}; use an http(s) IRI ending with '/'"
            )
        if self.server not in SERVERS:
            raise ConfigurationError(
                f"setting server is {self.server!r}; use {' or '.join(SERVERS)}"
            )
        if self.log_level.lower() not in {"debug", "info", "warning", "error"}:
            raise ConfigurationError(
                f"setting log_level is {self.log_level!r}; use debug, info, warning or error"
            )

    @property
    def tokens_path(self) -> Path | None:
        """Where the tokens are kept: ``tokens_file``, else ``tokens.json`` in the store."""
        if self.tokens_file is not None:
            return self.tokens_file
        return self.store / "tokens.json" if self.store is not None else None

    def union_for(self, *, shipped: bool) -> bool:
        """Whether queries see the union of all graphs as their default graph: as set,
        else for the shipped graph only (``data`` keeps its own default graph)."""
        return shipped if self.union_default_graph is None else self.union_default_graph

    @classmethod
    def names(cls) -> list[str]:
        """The setting names, in declaration order."""
        return [f.name for f in dataclasses.fields(cls)]

    @staticmethod
    def env_name(name: str) -> str:
        """The environment variable that sets ``name``."""
        return ENV_PREFIX + name.upper()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``NKGRAPH_*`` variables from ``environ``, then ``overrides``.

        Raises:
            ConfigurationError: a variable or override has a value of the wrong kind,
                or names no setting.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for name in cls.names():
            raw = env.get(cls.env_name(name))
            if raw is not None:
                values[name] = _parse(name, raw)
        unknown = set(overrides) - set(cls.names())
        if unknown:
            raise ConfigurationError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _split(raw: str, separators: str) -> tuple[str, ...]:
    for separator in separators[1:]:
        raw = raw.replace(separator, separators[0])
    return tuple(part for part in raw.split(separators[0]) if part.strip())


_KINDS: Final = {"bool": "true or false", "bool | None": "true, false or empty"}
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


def _boolean(raw: str) -> bool:
    word = raw.strip().lower()
    if word in _TRUE | _FALSE:
        return word in _TRUE
    raise ValueError(raw)


def _parse(name: str, raw: str) -> Any:
    kind = {f.name: f.type for f in dataclasses.fields(Settings)}[name]
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "Path | None":
            return Path(raw) if raw.strip() else None
        if kind == "bool":
            return _boolean(raw)
        if kind == "bool | None":
            return _boolean(raw) if raw.strip() else None
        if name == "data":
            return tuple(Path(p) for p in raw.split(os.pathsep) if p)
        if name == "cors_origins":
            return tuple(p.strip() for p in _split(raw, ","))
        if name == "service_allowlist":
            return tuple(p.strip() for p in _split(raw, " ,\n\t"))
    except ValueError as error:
        raise ConfigurationError(
            f"{Settings.env_name(name)}={raw!r} is not a valid {_KINDS.get(str(kind), kind)}"
        ) from error
    return raw.strip()
