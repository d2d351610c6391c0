"""The same service on an external SPARQL 1.1 server: :class:`RemoteEngine` and :func:`push`.

``nkgraph serve --backend sparql+http://HOST/PATH`` answers queries with the server whose
SPARQL 1.1 query endpoint is ``http://HOST/PATH``; everything else (protocol, negotiation,
errors, the row cap, the timeout, the query page) stays this service's. ``nkgraph push``
loads the validated graph into that server with the SPARQL 1.1 Graph Store Protocol, one
``PUT`` per named graph.

The default graph: this service's default graph is the union of all named graphs. Servers
say so in their own ways, so the backend URL carries the server's own switch as it is:
Oxigraph ``?union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true`` in the dataset's
configuration; Virtuoso's default graph is already the union; QLever has one graph.

The timeout is the HTTP client's: the request is given up after ``timeout`` seconds and
answered 503, but the server may go on evaluating; give the server its own limit too
(Fuseki ``arq:queryTimeout``, QLever ``timeout``, Virtuoso ``MaxQueryExecutionTime``).
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import logging
import weakref
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from nkgraph.errors import BackendError, QuerySyntaxError, QueryTimeout
from nkgraph.formats import N_TRIPLES, SPARQL_JSON
from nkgraph.sparql.engine import QueryResult, dataset_quads, missing_graphs
from nkgraph.sparql.prepare import PreparedQuery, QueryForm
from nkgraph.sparql.statistics import count_statistics, source_description

__all__ = ["PushResult", "RemoteEngine", "graph_store_url", "push", "query_url"]

logger = logging.getLogger(__name__)

_SCHEME: Final = "sparql+"
_RESULTS: Final = SPARQL_JSON.media_type
_GRAPH: Final = N_TRIPLES.media_type


def query_url(backend: str) -> str:
    """The query endpoint named by a ``sparql+http(s)://`` backend."""
    return backend.removeprefix(_SCHEME)


def graph_store_url(backend: str) -> str:
    """The Graph Store Protocol endpoint next to a query endpoint, as servers place it.

    Oxigraph serves queries at ``/query`` and graphs at ``/store``; Fuseki serves
    ``/DATASET/query`` (or ``/sparql``) and ``/DATASET/data``.

    >>> graph_store_url("sparql+http://127.0.0.1:7878/query?union-default-graph")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("sparql+http://fuseki:3030/news/sparql")
    'http://fuseki:3030/news/data'
    """
    parts = urlsplit(query_url(backend))
    head, _, last = parts.path.rstrip("/").rpartition("/")
    path = "/store" if head == "" and last == "query" else f"{head}/data"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


class RemoteEngine:
    """A :class:`~nkgraph.sparql.engine.QueryEngine` whose queries an external SPARQL 1.1 server
    answers, side by side with the in-process :class:`~nkgraph.sparql.engine.Engine`.

    It holds no store of its own. Statistics are counted once, when it starts.

    Raises:
        BackendError: the server cannot be reached or fails when first asked.
    """

    def __init__(self, backend: str, *, timeout: float = 60.0) -> None:
        self.endpoint = query_url(backend)
        # One client, thread-safe, with a pool of keep-alive connections; closed when the
        # engine is collected, so no socket outlives it.
        self._http = httpx.Client(limits=httpx.Limits(max_keepalive_connections=32))
        weakref.finalize(self, self._http.close)
        self.version = ""  # the server's data may change under us: never cache
        # The server's own configuration decides; a union is what nkgraph push prepares.
        self.union_default_graph = True
        self._graph_names = frozenset(
            row[0].value
            for row in self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", timeout)
            if isinstance(row[0], ox.NamedNode)
        )
        self.statistics = count_statistics(lambda text: self._select(text, timeout))
        self.source = source_description(lambda text: self._select(text, timeout))

    def run(
        self,
        query: PreparedQuery,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float,
        max_rows: int,
        base_iri: str | None = None,
        write_as: ox.QueryResultsFormat | None = None,
        union_default_graph: bool | None = None,
    ) -> QueryResult:
        """Send ``query`` to the server; see :meth:`nkgraph.sparql.engine.Engine.run`.

        ``write_as`` is ignored: the server's rows are read back one by one to apply the
        row cap, and the service writes them. ``union_default_graph`` is ignored too: the
        server's own configuration decides what its default graph is. A graph the server
        does not hold is listed in :attr:`QueryResult.missing_graphs`, as the embedded
        engine does (Oxigraph and Fuseki read it as empty; neither fetches it).

        Raises:
            QuerySyntaxError: the server refused the query (400).
            QueryTimeout: the server did not answer within ``timeout``.
            BackendError: the server failed or could not be reached.
        """
        missing = missing_graphs(self._graph_names, query, default_graphs, named_graphs)
        result = self._ask(query, default_graphs, named_graphs, timeout, max_rows, base_iri)
        return dataclasses.replace(result, missing_graphs=missing) if missing else result

    @property
    def graph_names(self) -> frozenset[str]:
        """IRIs of the server's named graphs, read when the engine started."""
        return self._graph_names

    @property
    def abandoned(self) -> int:
        """Always 0: a query that runs out of time is given up by the HTTP client, and no
        thread of this process is left working on it."""
        return 0

    def _ask(
        self,
        query: PreparedQuery,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        timeout: float,
        max_rows: int,
        base_iri: str | None,
    ) -> QueryResult:
        text = query.text if base_iri is None else f"BASE <{base_iri}>\n{query.text}"
        params = [("default-graph-uri", g) for g in default_graphs]
        params += [("named-graph-uri", g) for g in named_graphs]
        graph_form = query.form is not None and query.form.returns_graph
        with self._send(text, params, _GRAPH if graph_form else _RESULTS, timeout) as response:
            if graph_form:
                triples = tuple(
                    ox.Triple(q.subject, q.predicate, q.object)
                    for q in itertools.islice(
                        ox.parse(_reader(response), format=N_TRIPLES.ox_rdf_format), max_rows + 1
                    )
                )
                return QueryResult(
                    query.form or QueryForm.CONSTRUCT,
                    triples=triples[:max_rows],
                    truncated=len(triples) > max_rows,
                    max_rows=max_rows,
                )
            results = ox.parse_query_results(
                _reader(response), format=SPARQL_JSON.ox_results_format
            )
            if isinstance(results, ox.QueryBoolean):
                return QueryResult(QueryForm.ASK, boolean=bool(results), max_rows=max_rows)
            rows = tuple(itertools.islice(results, max_rows + 1))
            return QueryResult(
                QueryForm.SELECT,
                variables=tuple(v.value for v in results.variables),
                solutions=rows[:max_rows],
                truncated=len(rows) > max_rows,
                max_rows=max_rows,
            )

    def _select(self, text: str, timeout: float) -> ox.QuerySolutions:
        with self._send(text, [], _RESULTS, timeout) as response:
            results = ox.parse_query_results(response.read(), format=SPARQL_JSON.ox_results_format)
        assert isinstance(results, ox.QuerySolutions)  # noqa: S101 (a SELECT query)
        return results

    def close(self) -> None:
        """Close the connections to the server."""
        self._http.close()

    def _send(
        self, text: str, params: list[tuple[str, str]], accept: str, timeout: float
    ) -> _Response:
        body = str(httpx.QueryParams([("query", text), *params])).encode()
        request = self._http.build_request(
            "POST",
            self.endpoint,
            content=body,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
            timeout=httpx.Timeout(timeout),
        )
        try:
            response = self._http.send(request, stream=True)
        except httpx.TimeoutException:
            raise QueryTimeout(timeout) from None
        except httpx.HTTPError as error:
            raise BackendError(self.endpoint, str(error) or type(error).__name__) from error
        if response.status_code == 400:
            message = response.read().decode("utf-8", "replace").strip()
            response.close()
            raise QuerySyntaxError(message or "the SPARQL server refused the query")
        if response.status_code != 200:
            response.close()
            raise BackendError(self.endpoint, f"HTTP status {response.status_code}")
        return _Response(response, timeout)


class _Response:
    """A streamed response, closed when the block ends; a read timeout is a QueryTimeout."""

    def __init__(self, response: httpx.Response, timeout: float) -> None:
        self.response = response
        self.timeout = timeout
        self._chunks: Iterator[bytes] = response.iter_bytes()

    def __enter__(self) -> _Response:
        return self

    def __exit__(self, *exc: object) -> None:
        self.response.close()

    def read(self) -> bytes:
        return b"".join(self.chunks())

    def chunks(self) -> Iterator[bytes]:
        try:
            yield from self._chunks
        except httpx.TimeoutException:
            raise QueryTimeout(self.timeout) from None


class _Stream(io.RawIOBase):
    """A file-like reader over a streamed response, for pyoxigraph's parsers."""

    def __init__(self, response: _Response) -> None:
        super().__init__()
        self._chunks = response.chunks()
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._buffer = chunk
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def _reader(response: _Response) -> IO[bytes]:
    return io.BufferedReader(_Stream(response))


@dataclass(frozen=True)
class PushResult:
    """What :func:`push` sent: to which Graph Store endpoint, how many graphs and quads."""

    url: str
    graphs: int
    quads: int


def push(
    paths: Sequence[Path] | None,
    backend: str,
    *,
    graph_store: str | None = None,
    validate: bool = True,
    timeout: float = 300.0,
    with_ontology: bool = False,
    truthy: bool = True,
) -> PushResult:
    """Load ``paths`` (default: the shipped graph), validate them, and ``PUT`` each graph
    into the server's Graph Store endpoint (replacing a graph of the same name).

    What is pushed is what ``nkgraph serve --data`` would serve from the same files (the
    triples of Turtle in the default graph; the ontology with the shipped graph, or with
    ``with_ontology``); validation reads the data with the ontology.

    Raises:
        DataLoadError: an input cannot be read or parsed (nothing is sent).
        ShapesViolation: the data does not conform to the shapes (nothing is sent).
        BackendError: the server refused a graph or could not be reached.
    """
    from nkgraph.model.loading import load_dataset
    from nkgraph.validation.admission import check_files

    files = list(paths) if paths else None
    dataset = load_dataset(files, with_ontology=with_ontology or files is None, truthy=truthy)
    if validate:  # the policy nkgraph load follows too
        check_files(files, read=dataset if files is None or with_ontology else None)
    store = ox.Store()
    store.bulk_extend(dataset_quads(dataset))
    url = graph_store or graph_store_url(backend)
    graphs = 0
    with httpx.Client(timeout=timeout) as client:
        for graph in [ox.DefaultGraph(), *store.named_graphs()]:
            triples = [
                ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, graph)
            ]
            if not triples:
                continue
            target = "default" if isinstance(graph, ox.DefaultGraph) else graph.value
            params = {"default": ""} if target == "default" else {"graph": target}
            body = ox.serialize(triples, format=N_TRIPLES.ox_rdf_format) or b""
            try:
                response = client.put(
                    url, params=params, content=body, headers={"Content-Type": _GRAPH}
                )
            except httpx.HTTPError as error:
                raise BackendError(url, str(error) or type(error).__name__) from error
            if response.status_code not in (200, 201, 204):
                raise BackendError(
                    url, f"PUT of graph <{target}> answered {response.status_code}: "
                    f"{response.text[:200]}"
                )  # fmt: skip
            graphs += 1
    logger.info("pushed %d quads in %d graphs to %s", len(store), graphs, url)
    return PushResult(url=url, graphs=graphs, quads=len(store))
