"""Load the ontology, the shapes and the article's data from RDF files.

The shipped dataset has these named graphs (see ``vocab.Graphs``):
the ontology, the article's own graph (text units, entities, statements), the
resolutions of its vague times and derived bounds, the metadata about the
article, and the "truthy" projection derived at load time.

Other files load as they are: the triples of a one-graph format (Turtle, N-Triples,
RDF/XML, JSON-LD) go into the default graph, and TriG and N-Quads keep their default
and named graphs. The truthy graph is derived from whatever nkgraph statements they hold,
so other data gets none. What is served or stored (:func:`load_into_store`) has the
ontology only when asked for; what is validated (:func:`load_dataset`) has it, since
shapes may rely on its classes.

A file that cannot be found, read or parsed raises ``DataLoadError`` naming the file,
the line where the parser stopped (when it says) and the problem.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from json import JSONDecodeError
from pathlib import Path
from typing import Final
from xml.sax import SAXParseException

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef
from rdflib.exceptions import ParserError
from rdflib.namespace import NamespaceManager
from rdflib.plugins.parsers.notation3 import BadSyntax

from nkgraph.errors import DataLoadError, InstallationError
from nkgraph.formats import FILE_FORMATS, Format, extension_list, from_extension
from nkgraph.model.fast_load import parse_into
from nkgraph.model.resources import ResourcePaths, shipped
from nkgraph.model.truthy import add_truthy_graph, add_truthy_graph_to_store
from nkgraph.vocab import GRAPHS, PREFIXES

__all__ = ["load_dataset", "load_into_store", "load_shapes", "new_dataset"]

logger = logging.getLogger(__name__)


def new_dataset() -> Dataset:
    """An empty Dataset with the project's prefixes bound.

    Its default graph, for queries, is the union of its named graphs.
    """
    dataset = Dataset(default_union=True)
    # rdflib binds its own defaults (schema: to https://schema.org/); ours use http://schema.org/.
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


def load_dataset(
    paths: Sequence[Path] | None = None,
    *,
    ontology: Path | None = None,
    with_ontology: bool = True,
    truthy: bool = True,
) -> Dataset:
    """The shipped graph (ontology, data, truthy graph), or the RDF files in ``paths``
    with the ontology, as validation and the command-line tools read them.

    Turtle (and the other one-graph formats) goes into the default graph; TriG and
    N-Quads keep their default and named graphs. A folder in ``paths`` stands for the
    RDF files under it.

    Args:
        paths: data files or folders; ``None`` means the shipped data.
        ontology: the ontology file, loaded into the ontology graph; ``None`` means the
            shipped one.
        with_ontology: whether to load the ontology (shapes may rely on its classes);
            what is served or stored leaves it out of other files unless asked for
            (:func:`load_into_store`).
        truthy: whether to derive the truthy graph (nothing is added to data that holds
            no nkgraph statement).

    Raises:
        DataLoadError: a file is missing, has an unknown extension or cannot be parsed,
            or a folder holds no RDF file.
        InstallationError: the shipped ontology or data are needed but missing.
    """
    dataset = new_dataset()
    ontology_file, files = _sources(paths, ontology, with_ontology)
    if ontology_file is not None:
        _parse_into(dataset, ontology_file, graph=GRAPHS.ONTOLOGY)
    for path in files:
        _parse_into(dataset, path)
    if truthy:
        add_truthy_graph(dataset)
    return dataset


def load_into_store(
    store: ox.Store,
    paths: Sequence[Path] | None = None,
    *,
    ontology: Path | None = None,
    with_ontology: bool | None = None,
    truthy: bool = True,
) -> None:
    """Put what :func:`load_dataset` would load into ``store``, parsed by pyoxigraph.

    The same files go into the same graphs, and the truthy graph is derived by the
    same query; the ontology, though, comes with other files than the shipped ones only
    when ``with_ontology`` (or ``ontology``) asks for it. Nothing passes through rdflib:
    this is how ``nkgraph load`` builds a store, at about a tenth of rdflib's time on a
    million quads, and how ``serve --data`` loads its files. Literals keep their lexical
    form as written (rdflib would normalise, say, ``"01"^^xsd:integer`` to ``"1"``).

    Raises:
        DataLoadError: a file is missing, has an unknown extension or cannot be parsed,
            or a folder holds no RDF file (the store may then hold part of the input).
        InstallationError: the shipped ontology or data are needed but missing.
    """
    ontology_file, files = _sources(
        paths, ontology, _wants_ontology(paths, ontology, with_ontology)
    )
    if ontology_file is not None:
        _bulk_load(store, ontology_file, graph=GRAPHS.ONTOLOGY)
    for path in files:
        _bulk_load(store, path)
    if truthy:
        add_truthy_graph_to_store(store)


def _wants_ontology(
    paths: Sequence[Path] | None, ontology: Path | None, with_ontology: bool | None
) -> bool:
    if with_ontology is not None:
        return with_ontology
    return paths is None or ontology is not None


def _sources(
    paths: Sequence[Path] | None, ontology: Path | None, with_ontology: bool
) -> tuple[Path | None, list[Path]]:
    """The ontology file (if wanted) and the data files: the shipped ones where not given."""
    if (with_ontology and ontology is None) or paths is None:
        resources = _shipped()
        ontology = resources.ontology if ontology is None else ontology
        paths = paths if paths is not None else resources.data_files()
    return (ontology if with_ontology else None), _rdf_files(paths)


def load_shapes(path: Path | None = None) -> Graph:
    """The SHACL shapes graph in ``path``, or the shipped one.

    Raises:
        DataLoadError: the file is missing, has an unknown extension or cannot be parsed.
        InstallationError: the shipped shapes are needed but missing.
    """
    if path is None:
        path = _shipped().shapes
        if not path.is_file():
            raise InstallationError(f"the shipped SHACL shapes {path} are missing; {_REINSTALL}")
    dataset = new_dataset()
    _parse_into(dataset, _existing(path))
    # A shapes graph is one graph, whatever format the file had.
    shapes = Graph()
    for prefix, namespace in dataset.namespaces():
        shapes.bind(prefix, namespace, replace=True)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        shapes.add((subject, predicate, obj))
    return shapes


_REINSTALL: Final = "reinstall nkgraph with `pip install .` from a checkout"


def _shipped() -> ResourcePaths:
    try:
        return shipped()
    except FileNotFoundError as error:
        raise InstallationError(str(error)) from error


def _existing(path: Path) -> Path:
    if not path.exists():
        raise DataLoadError(path, "no such file or folder")
    return path


def _rdf_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in map(_existing, paths):
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _is_rdf(p))
            if not found:
                raise DataLoadError(path, f"the folder holds no RDF file ({_known_extensions()})")
            files.extend(found)
        else:
            files.append(path)
    return files


def _is_rdf(path: Path) -> bool:
    return from_extension(path.suffix, FILE_FORMATS) is not None


def _known_extensions() -> str:
    return extension_list(FILE_FORMATS)


def _rdf_format(path: Path) -> Format:
    fmt = from_extension(path.suffix, FILE_FORMATS)
    if fmt is None:
        raise DataLoadError(
            path, f"unknown RDF file extension {path.suffix!r}; use one of {_known_extensions()}"
        )
    return fmt


def _parse_into(dataset: Dataset, path: Path, *, graph: URIRef | None = None) -> None:
    """Parse one file into ``dataset``: into ``graph`` if given, else a one-graph format
    into the default graph and a dataset format into its own graphs."""
    fmt = _rdf_format(_existing(path))
    rdf_format = fmt.rdflib_format
    uri = path.resolve().as_uri()
    target: Graph = dataset
    if graph is not None:
        target = dataset.graph(graph)
    elif not fmt.holds_datasets:
        # Not ``dataset`` itself: rdflib would put the triples in a graph named after
        # the file, where SPARQL's default graph would not see them.
        target = dataset.default_graph
    if parse_into(target, path, fmt=fmt, public_id=uri):
        logger.debug("loaded %s as %s with pyoxigraph", path, rdf_format)
        return
    try:
        # Opened here, not by rdflib: Dataset.parse leaves the files it opens unclosed.
        with path.open("rb") as stream:
            target.parse(stream, publicID=uri, format=rdf_format)
    except OSError as error:
        raise DataLoadError(path, f"cannot be read: {error.strerror or error}") from error
    # rdflib's parsers report malformed input with many exception types: BadSyntax,
    # ParserError, SAXParseException, JSONDecodeError, UnicodeDecodeError, and plain
    # TypeError or AttributeError from the JSON-LD parser. Only the parser runs in this
    # block, so whatever it raises is this file's fault; the traceback goes to the log.
    except Exception as error:
        logger.debug("parsing %s failed", path, exc_info=True)
        raise _parse_error(path, fmt, error) from error
    logger.debug("loaded %s as %s", path, rdf_format)


def _bulk_load(store: ox.Store, path: Path, *, graph: URIRef | None = None) -> None:
    """:func:`_parse_into`, for a pyoxigraph store: the same graph, base IRI and errors."""
    fmt = _rdf_format(_existing(path))
    uri = path.resolve().as_uri()
    # Without ``to_graph``, one-graph formats go into the default graph.
    target = None if graph is None else ox.NamedNode(str(graph))
    try:
        store.bulk_load(path=str(path), format=fmt.ox_rdf_format, base_iri=uri, to_graph=target)
    except OSError as error:
        raise DataLoadError(path, f"cannot be read: {error.strerror or error}") from error
    except SyntaxError as error:
        problem = (
            error.msg.split(": ", 1)[-1] if error.msg.startswith("Parser error") else error.msg
        )
        raise DataLoadError(path, problem, line=error.lineno, column=error.offset) from error
    logger.debug("loaded %s as %s with pyoxigraph", path, fmt.name)


def _parse_error(path: Path, fmt: Format, error: Exception) -> DataLoadError:
    """A DataLoadError for ``error``, with the line and column when they can be found."""
    line: int | None = None
    column: int | None = None
    problem = _first_line(str(error)) or type(error).__name__
    if isinstance(error, BadSyntax):
        line, column = _text_position(error._str.decode("utf-8"), error._i)
        problem = error._why
    elif isinstance(error, SAXParseException):
        # expat counts columns from 0.
        line, column = error.getLineNumber(), error.getColumnNumber()
        column = None if column is None else column + 1
        problem = error.getMessage()
    elif isinstance(error, UnicodeDecodeError):
        line, column = _first_bad_utf8(path)
        problem = f"is not UTF-8 text ({error.reason})"
    elif isinstance(error, JSONDecodeError):
        line, column, problem = error.lineno, error.colno, error.msg
    elif isinstance(error, ParserError) and fmt.line_based:
        line = _first_bad_line(path, fmt.rdflib_format)
    else:
        problem = f"cannot be parsed as {fmt.rdflib_format} ({type(error).__name__}: {problem})"
    return DataLoadError(path, problem, line=line, column=column)


def _first_line(text: str) -> str:
    return text.strip().split("\n", 1)[0]


def _text_position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of the character at ``offset`` in ``text``."""
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _first_bad_utf8(path: Path) -> tuple[int | None, int | None]:
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].decode("utf-8")
        return _text_position(before, len(before))
    return None, None


def _first_bad_line(path: Path, rdf_format: str) -> int | None:
    """The first line that fails to parse alone (N-Triples and N-Quads only)."""
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            Dataset().parse(data=text, format=rdf_format)
        except ParserError:
            return number
    return None
