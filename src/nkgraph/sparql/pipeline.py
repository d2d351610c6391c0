"""The query pipeline: one way from a query's text to its answer, for ``/sparql`` and
``nkgraph query`` alike.

A query goes through four steps, each of which may raise one of the project's errors:

1. :meth:`QueryPipeline.plan`: parse the prologue (:func:`~nkgraph.sparql.prepare.prepare`),
   refuse deep nesting and SERVICE endpoints off the allow-list, evaluate the allowed
   SERVICE blocks (``sparql/federation.py``, which asks this engine for the local bindings),
   and make sure there is a query form;
2. :meth:`QueryPipeline.choose_format`: the format asked for, by name or by ``Accept``,
   among those that suit the form (results formats or RDF formats);
3. :meth:`QueryPipeline.etag`: the answer's tag, when the answer cannot change while the
   data does not (a caller that holds it need not run the query);
4. :meth:`QueryPipeline.answer`: run the query on the engine and write the result.

Nothing here knows HTTP: the web view reads the request into a :class:`QueryRequest`,
and writes an :class:`Answer`'s bytes and flags as headers.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from nkgraph.config import Settings
from nkgraph.errors import NotAcceptable, QuerySyntaxError
from nkgraph.formats import GRAPH_FORMATS, RESULT_FORMATS, Format, from_name, negotiate
from nkgraph.sparql.engine import QueryEngine, QueryResult, check_syntax
from nkgraph.sparql.prepare import PreparedQuery, QueryForm, check_nesting, check_services, prepare
from nkgraph.sparql.result_writers import native_format, serialize_result
from nkgraph.vocab import PREFIXES

__all__ = ["Answer", "Limits", "Plan", "QueryPipeline", "QueryRequest", "answer_tag"]


@dataclass(frozen=True)
class Limits:
    """What a query may use, and which remote services it may call.

    Args:
        timeout: seconds a query may run.
        max_rows: rows (or triples) an answer holds at most; more are cut off.
        max_nesting: the deepest bracket nesting parsed.
        service_allowlist: SERVICE endpoints a query may call.
        service_timeout: seconds one SERVICE endpoint may take.
        user_agent: the User-Agent sent to SERVICE endpoints.
    """

    timeout: float
    max_rows: int
    max_nesting: int
    service_allowlist: tuple[str, ...]
    service_timeout: float
    user_agent: str

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        """The limits ``settings`` set."""
        return cls(
            timeout=settings.query_timeout,
            max_rows=settings.max_rows,
            max_nesting=settings.max_nesting,
            service_allowlist=settings.service_allowlist,
            service_timeout=settings.service_timeout,
            user_agent=settings.user_agent,
        )


@dataclass(frozen=True)
class QueryRequest:
    """One query and the dataset it asks for.

    Args:
        text: the query text.
        default_graphs: the protocol's ``default-graph-uri`` values.
        named_graphs: the protocol's ``named-graph-uri`` values.
        base_iri: resolves relative IRIs when the query has no ``BASE``.
        timeout: seconds this query may run, if less than the limit.
    """

    text: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Plan:
    """A query checked and ready to run.

    Args:
        request: what was asked.
        query: the query to run (its SERVICE blocks replaced by their answers).
        form: its form.
        timeout: the time limit that applies.
        tag_source: the query as sent, before SERVICE blocks were resolved (what an
            answer's tag is computed from).
    """

    request: QueryRequest
    query: PreparedQuery
    form: QueryForm
    timeout: float
    tag_source: PreparedQuery

    @property
    def offers(self) -> tuple[Format, ...]:
        """The formats an answer of this form can be written in."""
        return tuple(GRAPH_FORMATS if self.form.returns_graph else RESULT_FORMATS)


@dataclass(frozen=True)
class Answer:
    """A query's answer, written.

    Args:
        body: the result in :attr:`format`.
        format: the format it is written in.
        truncated: whether rows (or triples) were cut off at :attr:`max_rows`.
        max_rows: the cap that applied.
        missing_graphs: graphs the request or the query named that the dataset does not
            hold; each was read as empty.
    """

    body: bytes
    format: Format
    truncated: bool
    max_rows: int
    missing_graphs: tuple[str, ...]

    @property
    def media_type(self) -> str:
        """The ``Content-Type`` of :attr:`body`."""
        return self.format.content_type


class QueryPipeline:
    """Answers queries with one engine, within one set of limits (see the module)."""

    def __init__(self, engine: QueryEngine, limits: Limits) -> None:
        self.engine = engine
        self.limits = limits

    def plan(self, request: QueryRequest) -> Plan:
        """Check ``request``'s query and resolve its SERVICE blocks.

        Raises:
            QueryTooComplex: the query nests too deep.
            ServiceNotAllowed: it calls an endpoint off the allow-list.
            ServiceFailed, ServiceTimeout: an allowed endpoint failed or took too long.
            QuerySyntaxError: it does not parse, or has no query form.
        """
        timeout = self._timeout(request)
        prepared = prepare(request.text)
        check_nesting(prepared, self.limits.max_nesting)  # before anything parses it
        check_services(prepared, self.limits.service_allowlist)
        tag_source = prepared  # before SERVICE blocks are resolved: they make it uncacheable
        if prepared.services and prepared.form is not None:
            prepared = self._federate(prepared, request, timeout)
        if prepared.form is None:
            self.check_syntax(prepared.text, timeout)
            raise QuerySyntaxError("the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) is missing")
        return Plan(request, prepared, prepared.form, timeout, tag_source)

    def choose_format(self, plan: Plan, requested: str | None, accept: str | None) -> Format:
        """The format named by ``requested`` (a short name or media type), else the one
        ``accept`` (an HTTP ``Accept`` value) prefers, among :attr:`Plan.offers`.

        Raises:
            QuerySyntaxError: the query does not parse (the more useful thing to report).
            NotAcceptable: no format offered matches.
        """
        try:
            if requested:
                return from_name(requested, plan.offers)
            return negotiate(accept, plan.offers)
        except NotAcceptable:
            self.check_syntax(plan.query.text, plan.timeout)
            raise

    def etag(self, plan: Plan, fmt: Format) -> str | None:
        """The answer's tag; ``None`` when it may change while the data does not."""
        request = plan.request
        return answer_tag(
            self.engine.version,
            plan.tag_source,
            (request.default_graphs, request.named_graphs),
            fmt.name,
            self.limits.max_rows,
            request.base_iri or "",
        )

    def evaluate(self, plan: Plan, fmt: Format | None = None) -> QueryResult:
        """Run the planned query (for ``fmt``, which lets the engine write rows itself).

        Raises:
            QuerySyntaxError, UnknownFunction, QueryEvaluationError: the query's faults.
            QueryTimeout: it ran out of time.
            BackendError: an external server failed.
        """
        request = plan.request
        return self.engine.run(
            plan.query,
            default_graphs=request.default_graphs,
            named_graphs=request.named_graphs,
            timeout=plan.timeout,
            max_rows=self.limits.max_rows,
            base_iri=request.base_iri,
            write_as=None if fmt is None else native_format(fmt),
        )

    def answer(self, plan: Plan, fmt: Format) -> Answer:
        """Run the planned query and write its result in ``fmt`` (errors as
        :meth:`evaluate`)."""
        result = self.evaluate(plan, fmt)
        return Answer(
            body=serialize_result(result, fmt, prefixes=PREFIXES),
            format=fmt,
            truncated=result.truncated,
            max_rows=result.max_rows,
            missing_graphs=result.missing_graphs,
        )

    def run(
        self, request: QueryRequest, requested: str | None, accept: str | None = None
    ) -> Answer:
        """Plan, choose the format, and answer: every step above, for one caller."""
        plan = self.plan(request)
        return self.answer(plan, self.choose_format(plan, requested, accept))

    def check_syntax(self, text: str, timeout: float) -> None:
        """Parse ``text`` without running it.

        Raises:
            QueryTooComplex, QuerySyntaxError, QueryTimeout: as
                :func:`~nkgraph.sparql.engine.check_syntax`.
        """
        check_syntax(text, max_nesting=self.limits.max_nesting, timeout=timeout)

    def _timeout(self, request: QueryRequest) -> float:
        if request.timeout is None:
            return self.limits.timeout
        return min(request.timeout, self.limits.timeout)

    def _federate(
        self, prepared: PreparedQuery, request: QueryRequest, timeout: float
    ) -> PreparedQuery:
        """Evaluate the query's allow-listed SERVICE blocks ourselves (``sparql/federation.py``
        says why), binding their shared variables on this engine first."""
        from nkgraph.sparql.federation import resolve_services

        def local(text: str) -> list[dict[str, str]]:
            result = self.engine.run(
                prepare(text),
                timeout=timeout,
                max_rows=self.limits.max_rows,
                base_iri=request.base_iri,
            )
            rows = [
                {v: str(row[v]) for v in result.variables if row[v] is not None}
                for row in result.solutions
            ]
            return [r for r in rows if not any(t.startswith("_:") for t in r.values())]

        return resolve_services(
            prepared,
            local=local,
            user_agent=self.limits.user_agent,
            timeout=min(self.limits.service_timeout, timeout),
        )


def answer_tag(
    version: str,
    query: PreparedQuery,
    graphs: tuple[Sequence[str], Sequence[str]],
    fmt: str,
    max_rows: int,
    base_iri: str,
) -> str | None:
    """The (strong) ETag of an answer, unquoted; ``None`` if it may change by itself:
    the data may change (no ``version``), or the query calls a remote service or a
    function whose value changes per call (``web/cache.py`` says more)."""
    if not version or query.services or query.volatile:
        return None
    # Normalised: tokens without white space and comments, so layout does not matter.
    parts = [version, query.normalized, *graphs[0], "\x1e", *graphs[1]]
    parts += [fmt, str(max_rows), base_iri]
    return hashlib.sha256("\x1d".join(parts).encode()).hexdigest()[:32]
