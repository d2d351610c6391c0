"""The exceptions nkgraph raises, as one tree (drawn as httpx draws its own).

```
NkGraphError                  anything nkgraph raises on purpose
├── DataLoadError             an input file cannot be found, read or parsed
├── ShapesError               the SHACL shapes cannot be used to validate
├── ShapesViolation           the data does not conform to the shapes (nothing was stored)
├── TextError                 the data's words cannot be found in its article text
├── BackendError              the external SPARQL server failed or could not be reached
├── GraphNotFound             an export or a Graph Store request names a graph we do not hold
├── ConfigurationError        nkgraph is set up wrongly
│   ├── InstallationError     the shipped ontology, shapes or data are missing
│   └── PortInUse             ``serve`` cannot listen on its port
├── ResourceNotFound          an IRI names nothing the graph holds
└── QueryError                a SPARQL request cannot be answered as it was asked
    ├── ProtocolError         the request breaks a rule of the SPARQL 1.1 Protocol
    │   ├── NotAcceptable     no result format we offer matches the Accept header
    │   ├── UnsupportedMediaType  the request body is of a type we do not read
    │   ├── BodySyntaxError       an RDF request body (a Graph Store write's) does not parse
    │   └── PayloadTooLarge   the body or the query is longer than the service accepts
    ├── QuerySyntaxError      the query does not parse (message, line, column)
    ├── QueryTooComplex       the query nests deeper than the service parses
    ├── UnknownFunction       the query calls a function the engine does not know
    ├── QueryEvaluationError  the engine refused the query while evaluating it
    ├── UpdateNotAllowed      an update was sent to this read-only service
    ├── ServiceNotAllowed     SERVICE names a target that is not on the allow-list
    ├── QueryTimeout          the query ran out of time and was stopped
    ├── ServiceFailed         an allow-listed SERVICE endpoint failed or answered nonsense
    └── ServiceTimeout        an allow-listed SERVICE endpoint did not answer in time
WikidataError                 (under NkGraphError) Wikidata could not answer as asked
├── WikidataUnavailable       unreachable, too slow, or still refusing (429, 5xx) after retries
└── WikidataApiError          the API answered with an error object
```

The core raises these deep down; the command line maps them to exit codes in one place
(``cli.EXIT_CODES``), and the web service to HTTP statuses in another, both looked up by
:func:`nearest_entry`. This module knows nothing of either, so a class here never carries
a status code.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TypeVar

__all__ = [
    "AuthenticationRequired",
    "BackendError",
    "BodySyntaxError",
    "ConfigurationError",
    "DataLoadError",
    "GraphNotFound",
    "InstallationError",
    "NkGraphError",
    "NotAcceptable",
    "PayloadTooLarge",
    "PortInUse",
    "PreconditionFailed",
    "ProtocolError",
    "QueryError",
    "QueryEvaluationError",
    "QuerySyntaxError",
    "QueryTimeout",
    "QueryTooComplex",
    "ResourceNotFound",
    "ServiceFailed",
    "ServiceNotAllowed",
    "ServiceTimeout",
    "ShapesError",
    "ShapesViolation",
    "TextError",
    "UnknownFunction",
    "UnsupportedMediaType",
    "UpdateNotAllowed",
    "WikidataApiError",
    "WikidataError",
    "WikidataUnavailable",
    "WriteError",
    "WriteForbidden",
    "WriteRejected",
    "WriterBusy",
    "nearest_entry",
]

_Value = TypeVar("_Value")


class NkGraphError(Exception):
    """Base class of every error nkgraph raises on purpose.

    Its message says what was wrong and, where there is something to do, what to do.
    """


class DataLoadError(NkGraphError):
    """An input file cannot be found, read or parsed.

    Args:
        path: the file (or folder) at fault.
        problem: what is wrong with it, in a few words.
        line: the 1-based line of the problem, if the parser told us.
        column: the 1-based column of the problem, if known.
    """

    def __init__(
        self, path: Path, problem: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        self.column = column
        super().__init__(self._describe())

    def _describe(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f", line {self.line}"
            if self.column is not None:
                where += f", column {self.column}"
        return f"{where}: {self.problem}"


class ShapesError(NkGraphError):
    """The SHACL shapes cannot be used to validate.

    A shape breaks a rule of SHACL (the message cites it), a SPARQL query in a shape
    does not parse, or the validator failed (SHACL's "failure", spec section 3.6.1.3).
    """


class GraphNotFound(NkGraphError):
    """An export or a Graph Store Protocol request names a graph the dataset does not hold.

    Args:
        name: the graph as it was named (an IRI, or a name relative to the graph namespace).
        known: the IRIs of the graphs the dataset holds.
    """

    spec = "https://www.w3.org/TR/sparql11-http-rdf-update/#http-get"

    def __init__(self, name: str, known: tuple[str, ...]) -> None:
        self.name = name
        self.known = known
        listed = ", ".join(known) if known else "none"
        super().__init__(
            f"the dataset has no graph named {name!r}; its named graphs are: {listed} "
            "(or ask for the default graph, the union of them all)"
        )


class ShapesViolation(NkGraphError):
    """The data does not conform to the SHACL shapes, so it was not stored.

    Args:
        report: the validation report, as readable text.
    """

    def __init__(self, report: str) -> None:
        self.report = report
        super().__init__(
            "the data does not conform to the shapes, so nothing was stored; fix it (see "
            f"`nkgraph validate`):\n{report}"
        )


class TextError(NkGraphError):
    """The data's words cannot be set against its article text.

    The data holds no article text (``nif:isString``), or words it says are in a text unit
    (a mention pattern's, a figure's, a quotation's) are not there, or are there more than
    once where one place is meant.
    """


class BackendError(NkGraphError):
    """The external SPARQL server (``--backend``) failed, or could not be reached.

    Args:
        endpoint: the server's URL.
        problem: what went wrong, in a few words.
    """

    def __init__(self, endpoint: str, problem: str) -> None:
        self.endpoint = endpoint
        self.problem = problem
        super().__init__(
            f"the SPARQL server at {endpoint} failed: {problem}; check that it is running "
            "and reachable"
        )


class ConfigurationError(NkGraphError):
    """nkgraph is set up wrongly: a setting, an option or the installation."""


class InstallationError(ConfigurationError):
    """The ontology, shapes or data that ship with nkgraph are missing.

    Reinstalling with ``pip install .`` from a checkout puts them back.
    """


class PortInUse(ConfigurationError):
    """``nkgraph serve`` cannot listen on its address: another program holds the port.

    Args:
        host: the interface.
        port: the TCP port.
        problem: the system's words.
    """

    def __init__(self, host: str, port: int, problem: str) -> None:
        self.host = host
        self.port = port
        super().__init__(
            f"cannot listen on {host}:{port} ({problem}); another program uses port {port}: "
            "stop it, or choose another port with --port or NKGRAPH_PORT"
        )


class ResourceNotFound(NkGraphError):
    """An IRI (or the page address standing for one) names nothing the graph holds.

    Args:
        iri: the IRI looked up.
    """

    spec = "https://www.w3.org/TR/cooluris/"

    def __init__(self, iri: str) -> None:
        self.iri = iri
        super().__init__(
            f"<{iri}> is not described in this graph; search the labels, or start from the "
            "home page"
        )


# The SPARQL service's errors. Each cites the rule it enforces (``spec``), as pySHACL's
# errors do, so that a response can link to it.

_PROTOCOL = "https://www.w3.org/TR/sparql11-protocol/"
_QUERY = "https://www.w3.org/TR/sparql11-query/"
_UPDATE = "https://www.w3.org/TR/sparql11-update/"


class QueryError(NkGraphError):
    """A SPARQL request cannot be answered as it was asked."""

    spec: str = _PROTOCOL + "#query-operation"


class ProtocolError(QueryError):
    """The request breaks a rule of the SPARQL 1.1 Protocol (e.g. ``query`` given twice)."""


class NotAcceptable(ProtocolError):
    """No result format on offer matches what the client accepts.

    Args:
        accept: the client's Accept header (or ``format=`` value).
        offers: the media types we could have sent.
    """

    spec = "https://www.rfc-editor.org/rfc/rfc9110#name-406-not-acceptable"

    def __init__(self, accept: str, offers: tuple[str, ...]) -> None:
        self.accept = accept
        self.offers = offers
        super().__init__(
            f"none of the formats accepted ({accept!r}) can be produced for this request; "
            f"ask for one of: {', '.join(offers)}"
        )


class UnsupportedMediaType(ProtocolError):
    """The request body is of a media type the protocol does not define for what it carries.

    Args:
        media_type: the body's media type.
        supported: the media types that are read.
        what: what the body carries, for the message ("a query", "an update", "a graph").
    """

    spec = _PROTOCOL + "#query-operation"

    def __init__(
        self, media_type: str, supported: tuple[str, ...], *, what: str = "a query"
    ) -> None:
        self.media_type = media_type
        self.supported = supported
        super().__init__(
            f"{what} cannot be sent as {media_type or 'a body without Content-Type'}; "
            f"send it as {' or '.join(supported)}"
        )


class PayloadTooLarge(ProtocolError):
    """The request body or the query is longer than this service accepts."""

    spec = _PROTOCOL + "#query-operation"


class BodySyntaxError(ProtocolError):
    """A request body of an RDF format (a Graph Store write's) does not parse.

    Args:
        label: the format's name for people.
        message: the parser's own words.
        line: 1-based line of the error, when the parser gives it.
        column: 1-based column of the error, when the parser gives it.
    """

    spec = "https://www.w3.org/TR/sparql11-http-rdf-update/#http-put"

    def __init__(
        self, label: str, message: str, *, line: int | None = None, column: int | None = None
    ) -> None:
        self.message = message
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(
            f"the request body is not valid {label}{where}: {message}; fix it, or send it "
            "with the Content-Type of the format it is in"
        )


class QuerySyntaxError(QueryError):
    """The query does not parse.

    Args:
        message: the parser's own words.
        line: 1-based line of the error, when the parser gives it.
        column: 1-based column of the error, when the parser gives it.
    """

    spec = _QUERY + "#grammar"

    def __init__(self, message: str, *, line: int | None = None, column: int | None = None):
        self.message = message
        self.line = line
        self.column = column
        where = f" at line {line}, column {column}" if line is not None else ""
        super().__init__(f"the query is not valid SPARQL 1.1{where}: {message}")


class QueryTooComplex(QueryError):
    """The query nests groups, brackets or unary operators deeper than the service parses.

    The engine's parser is recursive: a query nested thousands of levels deep would
    overflow its stack and end the worker, so such a query is refused before parsing.

    Args:
        depth: how deep the query nests, where it is deepest.
        limit: the deepest nesting accepted (the ``max_nesting`` setting).
        line: 1-based line of its deepest point.
        column: 1-based column there.
    """

    spec = _QUERY + "#grammar"

    def __init__(self, depth: int, limit: int, *, line: int, column: int) -> None:
        self.depth = depth
        self.limit = limit
        self.line = line
        self.column = column
        super().__init__(
            f"the query nests {depth} levels deep (groups {{ }}, brackets ( ) [ ] and "
            f"operators such as !) at line {line}, column {column}; this service reads at most "
            f"{limit} levels. Write it with fewer nested levels (a service operator can raise "
            "the limit with NKGRAPH_MAX_NESTING)"
        )


class UnknownFunction(QueryError):
    """The query calls a function IRI that is neither SPARQL's nor one the engine knows.

    Args:
        function: the IRI called.
    """

    spec = _QUERY + "#extensionFunctions"

    def __init__(self, function: str) -> None:
        self.function = function
        super().__init__(
            f"the query calls <{function}>, which is not a function this service knows; "
            "check its spelling and the PREFIX it is written with (the SPARQL 1.1 functions "
            "and the XSD casts such as xsd:dateTime(...) are known)"
        )


class QueryEvaluationError(QueryError):
    """The engine refused the query while evaluating it, for a reason the query gave.

    Args:
        problem: the engine's words, naming the term at fault.
    """

    spec = _QUERY + "#evaluation"

    def __init__(self, problem: str) -> None:
        self.problem = problem
        super().__init__(f"the query cannot be evaluated: {problem}")


class UpdateNotAllowed(QueryError):
    """A write (SPARQL Update, or a Graph Store write) was sent while writes are off."""

    spec = _PROTOCOL + "#update-operation"

    def __init__(self) -> None:
        super().__init__(
            "this service is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, ...) and "
            "Graph Store writes are not accepted; send a SELECT, ASK, CONSTRUCT or DESCRIBE "
            "query instead (an operator turns writes on with NKGRAPH_WRITES and a store)"
        )


class WriteError(NkGraphError):
    """A write (one transaction) was not committed; nothing of it was applied."""

    spec = _UPDATE


class AuthenticationRequired(WriteError):
    """The request carries no bearer token, or one this service does not know.

    Args:
        invalid: whether a token was given (and is wrong or revoked), rather than none.
    """

    def __init__(self, *, invalid: bool) -> None:
        self.invalid = invalid
        problem = (
            "the bearer token is not valid (wrong or revoked)"
            if invalid
            else ("this needs a bearer token and the request has none")
        )
        super().__init__(
            f"{problem}; send `Authorization: Bearer TOKEN` with a token the operator made "
            "with `nkgraph token add NAME`"
        )


class WriteForbidden(WriteError):
    """The token is valid but lacks the right the request needs.

    Args:
        token: the token's name (never the token itself).
        problem: what it may not do, in a few words.
    """

    def __init__(self, token: str, problem: str) -> None:
        self.token = token
        self.problem = problem
        super().__init__(
            f"token {token!r} {problem}; ask the operator for a token with that right "
            "(`nkgraph token add NAME --graph IRI`)"
        )


class PreconditionFailed(WriteError):
    """``If-Match`` names a version that is no longer current: someone wrote in between.

    Args:
        given: the ``If-Match`` value as sent.
        current: the current ETag.
    """

    def __init__(self, given: str, current: str) -> None:
        self.given = given
        self.current = current
        super().__init__(
            f"If-Match {given} does not match the current version {current}: the data "
            "changed since you read it; read it again, redo your change on it, and send "
            "it with the new ETag"
        )


class WriteRejected(WriteError):
    """The transaction would leave data that breaks the SHACL shapes, so nothing of it
    was applied.

    Args:
        report: the validation report (a ``validation.shacl.ValidationReport``; kept
            untyped here, since the error tree depends on nothing of ours).
        summary: one line per violation, for a person.
    """

    def __init__(self, report: object, summary: str) -> None:
        self.report = report
        self.summary = summary
        super().__init__(
            "the change was not applied: the data it would leave breaks the shapes. Fix "
            f"these and send it again:\n{summary}"
        )


class WriterBusy(WriteError):
    """Another write held the one writer's lock for longer than this one would wait.

    Args:
        seconds: how long this write waited.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"another write has been running for more than {seconds:g} s "
            "(NKGRAPH_WRITE_WAIT); nothing was applied, send the change again in a moment"
        )


class ServiceNotAllowed(QueryError):
    """A ``SERVICE`` clause names a target that is not on the configured allow-list."""

    spec = _PROTOCOL + "#query-operation"

    def __init__(self, target: str) -> None:
        self.target = target
        super().__init__(
            f"SERVICE {target} is refused: this service makes no outbound request unless its "
            "target starts with an IRI of the NKGRAPH_SERVICE_ALLOWLIST setting"
        )


class QueryTimeout(QueryError):
    """The query ran out of time and its evaluation was stopped."""

    spec = _PROTOCOL + "#query-failure"

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"the query was stopped after {seconds:g} s, its time limit; make it more "
            "selective (add LIMIT, a more specific pattern) or ask for a smaller result"
        )


_FEDERATED = "https://www.w3.org/TR/sparql11-federated-query/"


class ServiceFailed(QueryError):
    """An allow-listed ``SERVICE`` endpoint failed, or its answer could not be read."""

    spec = _FEDERATED + "#service-failure"

    def __init__(self, endpoint: str, problem: str) -> None:
        self.endpoint = endpoint
        self.problem = problem
        super().__init__(
            f"SERVICE <{endpoint}> failed: {problem}; try again later, or add SILENT to the "
            "SERVICE clause to go on without its results"
        )


class ServiceTimeout(QueryError):
    """An allow-listed ``SERVICE`` endpoint did not answer within the configured time."""

    spec = _FEDERATED + "#service-failure"

    def __init__(self, endpoint: str, seconds: float) -> None:
        self.endpoint = endpoint
        self.seconds = seconds
        super().__init__(
            f"SERVICE <{endpoint}> did not answer within {seconds:g} s (NKGRAPH_SERVICE_TIMEOUT); "
            "try again later, make the remote part more selective, or add SILENT"
        )


class WikidataError(NkGraphError):
    """Wikidata could not answer a request of the ``nkgraph wikidata`` tools."""


class WikidataUnavailable(WikidataError):
    """Wikidata is unreachable, too slow, or kept refusing (429, 5xx) after the retries."""

    def __init__(self, url: str, problem: str) -> None:
        self.url = url
        self.problem = problem
        super().__init__(
            f"Wikidata ({url}) cannot be reached: {problem}; check the network, or try again "
            "later (the shipped links and graph do not need Wikidata)"
        )


class WikidataApiError(WikidataError):
    """The Wikidata API answered with an error object (``{"error": {"code", "info"}}``)."""

    def __init__(self, code: str, info: str) -> None:
        self.code = code
        self.info = info
        super().__init__(f"the Wikidata API refused the request ({code}): {info}")


def nearest_entry(table: Mapping[type[NkGraphError], _Value], error: NkGraphError) -> _Value | None:
    """The value ``table`` gives ``error``'s nearest class: the first along its MRO.

    >>> nearest_entry({NkGraphError: 1, QueryError: 2}, QueryTimeout(5.0))
    2
    >>> nearest_entry({QueryError: 2}, TextError("missing")) is None
    True
    """
    for cls in type(error).__mro__:
        if cls in table:
            return table[cls]
    return None
