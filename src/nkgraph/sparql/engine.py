"""Evaluate SPARQL queries with pyoxigraph, under a deadline and a row cap.

Why pyoxigraph and not rdflib's own evaluator: rdflib's SPARQL parser is not thread-safe
(concurrent parses fail with ``Param.postParse2() missing 1 required positional argument``
and keep failing), and its pure-Python evaluation is 10 to 100 times slower. rdflib stays
the API for loading, validating and serialising; its Dataset is copied, quad by quad, into
an in-memory pyoxigraph ``Store`` once, at startup.

How the deadline works: pyoxigraph releases the GIL while it evaluates but cannot be
interrupted. Each query therefore runs in a thread of a small pool and the request waits
for it at most until its deadline; a query that overruns is answered with
:class:`~nkgraph.errors.QueryTimeout` and *abandoned*. Its thread keeps a core busy until
the process ends, so the server (``web/recycle.py``) replaces a worker process as soon as
one of its queries has been abandoned: that is what really stops the work.

Why the query threads have a large stack: pyoxigraph's parser and optimiser recurse on
the query's structure, and a long flat chain (thousands of ``UNION``, ``+`` or ``/``)
nests as deeply as brackets do. On the 2 to 8 MiB stack of an ordinary thread some
thousand of them overflow it and end the process; on 256 MiB of address space (only the
pages used are ever allocated) every query within the length and nesting limits parses.
Deep brackets are refused before parsing (:func:`~nkgraph.sparql.prepare.check_nesting`).

How a write stays atomic for readers (:meth:`Engine.apply`): pyoxigraph's query results
read a snapshot of an in-memory store taken when ``query()`` is called. A readers-writer
lock (:class:`_ReadersWriterLock`) is held shared only while ``query()`` takes that
snapshot, and exclusively while a patch's quads are removed and added; so a query sees
the data before a patch or after it, never half of it, and a long query never delays a
write.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Generic, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from nkgraph.errors import (
    QueryEvaluationError,
    QuerySyntaxError,
    QueryTimeout,
    UnknownFunction,
)
from nkgraph.sparql.prepare import MAX_NESTING, PreparedQuery, QueryForm, check_nesting, prepare
from nkgraph.sparql.statistics import (
    DatasetStatistics,
    SourceDescription,
    count_statistics,
    describe_source,
    store_statistics,
)
from nkgraph.sparql.syntax_messages import explain

__all__ = [
    "Engine",
    "QueryEngine",
    "QueryResult",
    "check_syntax",
    "dataset_quads",
    "missing_graphs",
    "syntax_error",
    "with_large_stack",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class QueryResult:
    """What a query returned, cut at the row cap.

    Args:
        form: the query form.
        variables: SELECT's projected variable names, in order.
        solutions: SELECT's rows.
        boolean: ASK's answer.
        triples: CONSTRUCT's and DESCRIBE's triples.
        truncated: whether rows or triples were left out because of ``max_rows``.
        max_rows: the cap that applied.
        written: SELECT's rows as pyoxigraph wrote them in the format the caller asked
            for, when the query's own LIMIT kept them under the cap (``solutions`` is
            then empty: the rows went straight from the engine to the bytes).
        missing_graphs: graphs the request or the query named that the dataset does not
            hold; each was read as an empty graph.
    """

    form: QueryForm
    variables: tuple[str, ...] = ()
    solutions: tuple[ox.QuerySolution, ...] = ()
    boolean: bool | None = None
    triples: tuple[ox.Triple, ...] = ()
    truncated: bool = False
    max_rows: int = 0
    written: bytes | None = None
    missing_graphs: tuple[str, ...] = ()


class QueryEngine(Protocol):
    """What answers the service's queries: :class:`Engine` (pyoxigraph, in this process)
    or :class:`~nkgraph.sparql.remote.RemoteEngine` (an external SPARQL 1.1 server).

    Attributes:
        statistics: VoID-style counts of the dataset, counted once.
        source: what the data describes, as its own metadata says.
        version: the data version, the key of result caches; empty when the data may
            change under the service (then nothing is cached).
        union_default_graph: whether a query's default graph is the union of all graphs.
    """

    statistics: DatasetStatistics
    source: SourceDescription
    version: str
    union_default_graph: bool

    @property
    def graph_names(self) -> frozenset[str]:
        """IRIs of the dataset's named graphs."""
        ...

    @property
    def abandoned(self) -> int:
        """How many queries ran out of time and were left running in this process."""
        ...

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
        """Evaluate ``query`` within ``timeout`` seconds, cut at ``max_rows`` (see
        :meth:`Engine.run` for the arguments and the errors)."""
        ...


def missing_graphs(
    graph_names: frozenset[str],
    query: PreparedQuery,
    default_graphs: Sequence[str],
    named_graphs: Sequence[str],
) -> tuple[str, ...]:
    """The graphs the request (or else the query) names that are not in ``graph_names``.

    >>> missing_graphs(frozenset({"http://g/1"}), prepare("ASK FROM <http://g/2> {}"), (), ())
    ('http://g/2',)
    """
    if default_graphs or named_graphs:
        named = (*default_graphs, *named_graphs)
    else:
        named = (*query.from_graphs, *query.from_named_graphs)
    return tuple(dict.fromkeys(iri for iri in named if iri not in graph_names))


class _Job(Generic[T]):
    """One call run by the pool, and its outcome."""

    def __init__(self, call: Callable[[], T]) -> None:
        self.call = call
        self.done = threading.Event()
        self.value: T | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.value = self.call()
        except BaseException as error:  # handed to the waiting request
            self.error = error
        finally:
            self.done.set()


#: Stack of the threads that parse and evaluate queries (see the module docstring).
STACK_SIZE: Final = 256 * 1024 * 1024


def _start_thread(target: Callable[[], None], name: str) -> None:
    """Start a daemon thread with a :data:`STACK_SIZE` stack.

    ``threading.stack_size`` is process-wide; it is set for this one start and put back,
    and a thread another part of the process starts meanwhile only gets a larger stack.
    """
    previous = threading.stack_size(STACK_SIZE)
    try:
        threading.Thread(target=target, name=name, daemon=True).start()
    finally:
        threading.stack_size(previous)


class _Pool:
    """Daemon threads that run jobs; a thread stuck in an abandoned job is never waited
    for (not even at interpreter exit, unlike ``ThreadPoolExecutor``'s threads), and a
    new job never queues behind it: every job gets a thread that is free. Each thread
    has a :data:`STACK_SIZE` stack."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[_Job[object]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._free = 0

    def submit(self, job: _Job[object]) -> None:
        with self._lock:
            if self._free:
                self._free -= 1
            else:
                _start_thread(self._work, "nkgraph-query")
        self._jobs.put(job)

    def _work(self) -> None:
        while True:
            self._jobs.get().run()
            with self._lock:
                self._free += 1


class _ReadersWriterLock:
    """Many readers or one writer; a waiting writer keeps new readers out, so a steady
    stream of queries cannot starve a write."""

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextlib.contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            self._condition.wait_for(lambda: not (self._writing or self._writers_waiting))
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                self._condition.notify_all()

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            self._condition.wait_for(lambda: not (self._writing or self._readers))
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


_ERROR_POSITION: Final = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
_UNKNOWN_FUNCTION: Final = re.compile(r"^The custom function <(.*)> is not supported$")
#: Evaluation errors of pyoxigraph (spareval's ``QueryEvaluationError``) that the query
#: causes; any other is the engine's or the data's fault, and stays a logged 500.
_QUERY_FAULTS: Final = re.compile(
    r"^(The variable encoding the service name is unbound"
    r"|.* is not a valid service name"
    r"|The service <.*> is not supported)$"
)


class Engine:
    """A SPARQL engine over one dataset, read-only except through :meth:`apply`.

    The default graph of a query is the dataset's own default graph, as SPARQL 1.1
    defines it, or with ``union_default_graph`` the union of all its graphs (its default
    graph and every named graph), unless the request or the query names its own dataset.
    A graph so named that the dataset does not hold is read as an empty graph: nothing
    is fetched.
    """

    def __init__(
        self,
        store: ox.Store,
        *,
        union_default_graph: bool = False,
        statistics: DatasetStatistics | None = None,
        source: SourceDescription | None = None,
        version: str | None = None,
        max_nesting: int = MAX_NESTING,
    ) -> None:
        self._store = store
        #: Whether a query's default graph is the union of all graphs.
        self.union_default_graph = union_default_graph
        #: The deepest nesting of a query this engine parses (``check_nesting``).
        self.max_nesting = max_nesting
        self._graph_names = _named_graphs(store)
        self._lock = _ReadersWriterLock()
        #: How many patches were applied; statistics counted at another are stale.
        self._changes = 0
        self._counted_at = 0
        self._pool = _Pool()
        self._abandoned = 0
        self._abandoned_lock = threading.Lock()
        self._statistics = statistics if statistics is not None else store_statistics(store)
        self.source = source if source is not None else describe_source(store)
        #: The data version: unique per load or store build, the key of result caches.
        self.version = version if version is not None else uuid.uuid4().hex

    @classmethod
    def from_dataset(
        cls, dataset: Dataset, *, union_default_graph: bool = False, max_nesting: int = MAX_NESTING
    ) -> Engine:
        """An engine holding a copy of every quad of ``dataset``."""
        store = ox.Store()
        store.extend(_quads(dataset))
        return cls(store, union_default_graph=union_default_graph, max_nesting=max_nesting)

    @classmethod
    def from_files(
        cls,
        paths: Sequence[Path],
        *,
        with_ontology: bool = False,
        truthy: bool = True,
        union_default_graph: bool = False,
        max_nesting: int = MAX_NESTING,
    ) -> Engine:
        """An engine on the RDF files (or folders) in ``paths``, parsed by pyoxigraph.

        One-graph formats go into the default graph, TriG and N-Quads keep their graphs,
        and literals keep their lexical form (:func:`nkgraph.model.loading.load_into_store`).

        Raises:
            DataLoadError: a file is missing, has an unknown extension or cannot be parsed.
            InstallationError: the shipped ontology is asked for but missing.
        """
        from nkgraph.model.loading import load_into_store

        store = ox.Store()
        load_into_store(store, paths, with_ontology=with_ontology, truthy=truthy)
        return cls(store, union_default_graph=union_default_graph, max_nesting=max_nesting)

    @classmethod
    def from_store(
        cls,
        path: Path,
        *,
        in_memory: int = 0,
        union_default_graph: bool | None = None,
        max_nesting: int = MAX_NESTING,
    ) -> Engine:
        """An engine on the on-disk store that ``nkgraph load --store path`` built.

        Nothing is recounted: the store is opened read-only, and its statistics come from
        the build. A store of at most ``in_memory`` quads is copied into an in-memory
        store (RocksDB's lookups make queries 3 to 9 times slower; the copy takes about
        a second per 100,000 quads); a larger one is served from disk, so a restart takes
        well under a second however large the store. ``union_default_graph`` overrides
        the choice the build recorded.

        Raises:
            ConfigurationError: ``path`` holds no complete nkgraph store.
        """
        from nkgraph.sparql.store import open_store

        store, info = open_store(path)
        if info.quads <= in_memory:
            started = time.perf_counter()
            memory = ox.Store()
            memory.bulk_extend(store.quads_for_pattern(None, None, None))
            store = memory
            logger.info(
                "store of %d quads copied into memory in %.2f s",
                info.quads,
                time.perf_counter() - started,
            )
        union = info.union_default_graph if union_default_graph is None else union_default_graph
        return cls(
            store,
            union_default_graph=union,
            statistics=info.statistics,
            source=info.source,
            version=info.version,
            max_nesting=max_nesting,
        )

    @property
    def graph_names(self) -> frozenset[str]:
        """IRIs of the dataset's named graphs (after :meth:`apply`, those holding a quad)."""
        return self._graph_names

    @property
    def statistics(self) -> DatasetStatistics:
        """VoID-style counts of the dataset: from the build, or counted at start, and
        counted again at the first look after a patch was applied (seconds on a million
        triples, once per change, rather than on every commit)."""
        changes = self._changes
        if changes != self._counted_at:
            counted = count_statistics(self._select)
            self._statistics, self._counted_at = counted, changes
        return self._statistics

    @statistics.setter
    def statistics(self, value: DatasetStatistics) -> None:
        self._statistics, self._counted_at = value, self._changes

    @property
    def store(self) -> ox.Store:
        """The pyoxigraph store; change it only through :meth:`apply`."""
        return self._store

    def apply(self, removed: Sequence[ox.Quad], added: Sequence[ox.Quad], *, version: str) -> None:
        """Remove ``removed``, add ``added`` and take ``version`` as the data version, in
        one step for readers: a query sees the data before or after, never between.

        A named graph left without quads is removed from the dataset (a patch names
        quads, not graphs, so replaying the journal gives the same named graphs).
        """
        emptied = {q.graph_name for q in removed if isinstance(q.graph_name, ox.NamedNode)}
        with self._lock.exclusive():
            for quad in removed:
                self._store.remove(quad)
            self._store.extend(added)
            for graph in emptied:
                if next(self._store.quads_for_pattern(None, None, None, graph), None) is None:
                    self._store.remove_graph(graph)
            self._graph_names = _named_graphs(self._store)
            self.version = version
            self._changes += 1

    def _select(self, text: str) -> ox.QuerySolutions:
        with self._lock.shared():
            results = self._store.query(text, use_default_graph_as_union=True)
        assert isinstance(results, ox.QuerySolutions)  # noqa: S101 (a SELECT query)
        return results

    @property
    def abandoned(self) -> int:
        """How many queries ran out of time and were left running in this process."""
        return self._abandoned

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
        """Evaluate ``query``, stopping at ``timeout`` seconds and ``max_rows`` rows.

        ``default_graphs`` and ``named_graphs`` (the protocol's ``default-graph-uri`` and
        ``named-graph-uri``) replace the query's own ``FROM`` and ``FROM NAMED``; a graph
        they name that the dataset does not hold is read as empty and listed in
        :attr:`QueryResult.missing_graphs`. ``base_iri`` resolves relative IRIs when the
        query has no ``BASE``. With ``write_as``, a SELECT query whose own LIMIT is within
        ``max_rows`` has its rows written by pyoxigraph in that format
        (:attr:`QueryResult.written`): no row cap can cut them, and pyoxigraph writes them
        several times faster than Python. ``union_default_graph`` overrides the engine's
        choice for this query (the Linked-Data pages describe a resource from every graph).

        Raises:
            QueryTooComplex: the query nests deeper than :attr:`max_nesting`.
            QuerySyntaxError: the query does not parse.
            UnknownFunction: the query calls a function the engine does not know.
            QueryEvaluationError: the engine refused the query for another reason of
                the query's own.
            QueryTimeout: evaluation took longer than ``timeout``.
        """
        check_nesting(query, self.max_nesting)
        union = self.union_default_graph if union_default_graph is None else union_default_graph
        missing = self.missing_graphs(query, default_graphs, named_graphs)
        job: _Job[QueryResult] = _Job(
            lambda: self._evaluate(
                query, default_graphs, named_graphs, max_rows, base_iri, write_as, union
            )
        )
        self._pool.submit(job)  # type: ignore[arg-type]
        if not job.done.wait(timeout):
            with self._abandoned_lock:
                self._abandoned += 1
            logger.warning("query abandoned after %g s: %.200r", timeout, query.text)
            raise QueryTimeout(timeout)
        if job.error is not None:
            raise _query_error(job.error, query.text)
        assert job.value is not None  # noqa: S101 (set whenever error is not)
        if missing:
            return dataclasses.replace(job.value, missing_graphs=missing)
        return job.value

    def missing_graphs(
        self, query: PreparedQuery, default_graphs: Sequence[str], named_graphs: Sequence[str]
    ) -> tuple[str, ...]:
        """The graphs the request (or else the query) names that the dataset lacks."""
        return missing_graphs(self._graph_names, query, default_graphs, named_graphs)

    def _evaluate(
        self,
        query: PreparedQuery,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        max_rows: int,
        base_iri: str | None,
        write_as: ox.QueryResultsFormat | None,
        union: bool,
    ) -> QueryResult:
        results = self._query(query, default_graphs, named_graphs, base_iri, union)
        if isinstance(results, ox.QueryBoolean):
            return QueryResult(QueryForm.ASK, boolean=bool(results), max_rows=max_rows)
        if isinstance(results, ox.QuerySolutions):
            if write_as is not None and query.limit is not None and query.limit <= max_rows:
                return QueryResult(
                    QueryForm.SELECT,
                    variables=tuple(v.value for v in results.variables),
                    max_rows=max_rows,
                    written=results.serialize(format=write_as) or b"",
                )
            rows = tuple(itertools.islice(results, max_rows + 1))
            return QueryResult(
                QueryForm.SELECT,
                variables=tuple(v.value for v in results.variables),
                solutions=rows[:max_rows],
                truncated=len(rows) > max_rows,
                max_rows=max_rows,
            )
        triples = tuple(itertools.islice(results, max_rows + 1))
        return QueryResult(
            query.form or QueryForm.CONSTRUCT,
            triples=triples[:max_rows],
            truncated=len(triples) > max_rows,
            max_rows=max_rows,
        )

    def _query(
        self,
        query: PreparedQuery,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        base_iri: str | None,
        union: bool,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        text = query.text
        try:
            with self._lock.shared():
                return self._store_query(query, default_graphs, named_graphs, base_iri, union)
        except SyntaxError as error:
            raise syntax_error(str(error), text) from None

    def _store_query(
        self,
        query: PreparedQuery,
        default_graphs: Sequence[str],
        named_graphs: Sequence[str],
        base_iri: str | None,
        union: bool,
    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        text = query.text
        if default_graphs or named_graphs:
            return self._store.query(
                text,
                base_iri=base_iri,
                default_graph=[ox.NamedNode(iri) for iri in default_graphs],
                named_graphs=[ox.NamedNode(iri) for iri in named_graphs],
            )
        if union and not (query.from_graphs or query.from_named_graphs):
            return self._store.query(text, base_iri=base_iri, use_default_graph_as_union=True)
        # The store's default graph, or the query's own dataset.
        return self._store.query(text, base_iri=base_iri)


def check_syntax(text: str, *, max_nesting: int = MAX_NESTING, timeout: float = 10.0) -> None:
    """Parse ``text`` (on an empty store, so nothing is evaluated), in a thread with a
    stack large enough for it.

    Raises:
        QueryTooComplex: the query nests deeper than ``max_nesting``.
        QuerySyntaxError: the query does not parse.
        QueryTimeout: parsing took longer than ``timeout`` seconds.
    """
    check_nesting(prepare(text), max_nesting)
    job: _Job[None] = _Job(lambda: _parse(text))
    _start_thread(job.run, "nkgraph-parse")
    if not job.done.wait(timeout):
        raise QueryTimeout(timeout)
    if job.error is not None:
        raise _query_error(job.error, text)


def with_large_stack(call: Callable[[], T], *, name: str = "nkgraph-write") -> T:
    """``call()``, run in a thread with a :data:`STACK_SIZE` stack (pyoxigraph's parser
    recurses on an update's structure as on a query's); its error is raised here."""
    job: _Job[T] = _Job(call)
    _start_thread(job.run, name)
    job.done.wait()
    if job.error is not None:
        raise job.error
    return job.value  # type: ignore[return-value]


def dataset_quads(dataset: Dataset) -> Iterable[ox.Quad]:
    """Every quad of an rdflib ``dataset``, as pyoxigraph quads."""
    return _quads(dataset)


def _parse(text: str) -> None:
    """Parse ``text`` on an empty store; its result is dropped here, in the thread that
    made it (pyoxigraph refuses to drop a result on another thread)."""
    ox.Store().query(text)


def syntax_error(message: str, text: str) -> QuerySyntaxError:
    """Our error for pyoxigraph's ``SyntaxError`` ``message`` about ``text`` (a query or
    an update), with its line and column and a readable explanation."""
    match = _ERROR_POSITION.match(message)
    if match is None:
        return QuerySyntaxError(message)
    line, column = int(match[1]), int(match[2])
    return QuerySyntaxError(
        explain(match[3], text, line=line, column=column), line=line, column=column
    )


def _query_error(error: BaseException, text: str) -> BaseException:
    """Our error for what pyoxigraph raised, where the query is at fault; else ``error``."""
    if isinstance(error, SyntaxError):
        return syntax_error(str(error), text)
    if isinstance(error, RuntimeError):
        message = str(error)
        unknown = _UNKNOWN_FUNCTION.match(message)
        if unknown is not None:
            return UnknownFunction(unknown[1])
        if _QUERY_FAULTS.match(message):
            return QueryEvaluationError(message)
    return error


def _named_graphs(store: ox.Store) -> frozenset[str]:
    return frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def _quads(dataset: Dataset) -> Iterable[ox.Quad]:
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph_id = getattr(g, "identifier", g)
        graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph = (
            ox.DefaultGraph()
            if graph_id is None or graph_id == DATASET_DEFAULT_GRAPH_ID
            else _resource(graph_id)
        )
        predicate = _resource(p)
        assert isinstance(predicate, ox.NamedNode)  # noqa: S101 (rdflib checks predicates)
        yield ox.Quad(_resource(s), predicate, _term(o), graph)


def _resource(node: Node) -> ox.NamedNode | ox.BlankNode:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    raise TypeError(f"not an IRI or blank node: {node!r}")


def _term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    return _resource(node)
