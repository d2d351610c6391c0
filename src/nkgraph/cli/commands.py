"""The ``nkgraph`` command line.

Commands are thin: they read their options, call the core and print. Errors the core
raises become a message on standard error and an exit code, in one place
(``EXIT_CODES``, used by ``NkGraphGroup``). Logging is configured here and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import click

from nkgraph import __version__
from nkgraph.cli.options import (
    NO_TRUTHY,
    TIMEOUT,
    WITH_ONTOLOGY,
    dataset_options,
    union_option,
    write_options,
)
from nkgraph.config import SERVERS
from nkgraph.errors import (
    BackendError,
    ConfigurationError,
    DataLoadError,
    GraphNotFound,
    NkGraphError,
    PortInUse,
    QueryError,
    QueryTimeout,
    ResourceNotFound,
    ServiceFailed,
    ServiceTimeout,
    ShapesError,
    ShapesViolation,
    TextError,
    WikidataError,
    WriteError,
    WriterBusy,
    WriteRejected,
    nearest_entry,
)
from nkgraph.formats import EXPORT_FORMATS, JSON_LD
from nkgraph.model.loading import load_dataset, load_shapes

__all__ = ["EXIT_CODES", "exit_code", "main"]

#: ``nkgraph validate``: the data conforms to the shapes.
EXIT_CONFORMS: Final = 0
#: ``nkgraph validate``: the data does not conform.
EXIT_DOES_NOT_CONFORM: Final = 1
#: Exit codes of the errors the core raises; the most specific class listed wins.
#: 2 is also what click uses for a wrong option, so 2 always means "wrong input".
EXIT_CODES: Final[dict[type[NkGraphError], int]] = {
    ShapesViolation: EXIT_DOES_NOT_CONFORM,
    WriteRejected: EXIT_DOES_NOT_CONFORM,
    QueryTimeout: 5,
    WriterBusy: 5,
    BackendError: 4,
    ServiceFailed: 4,
    ServiceTimeout: 4,
    WikidataError: 4,
    DataLoadError: 2,
    GraphNotFound: 2,
    PortInUse: 2,
    ShapesError: 2,
    TextError: 2,
    QueryError: 2,
    WriteError: 2,
    ResourceNotFound: 2,
    ConfigurationError: 3,
    NkGraphError: 3,
}

_LOG_HANDLER: Final = "nkgraph.cli.commands"
#: ``nkgraph validate --format``: the keys of ``reporting.REPORT_FORMATS``, named here
#: so that other commands (``serve`` above all) start without importing pySHACL.
REPORT_FORMAT_NAMES: Final = ("text", "json", "turtle")
_Command = TypeVar("_Command", bound=Callable[..., None])


def exit_code(error: NkGraphError) -> int:
    """The exit code for ``error``: that of its nearest class in ``EXIT_CODES``."""
    code = nearest_entry(EXIT_CODES, error)
    if code is None:  # pragma: no cover
        raise AssertionError("unreachable: NkGraphError is in EXIT_CODES")
    return code


class NkGraphGroup(click.Group):
    """A click group that turns ``NkGraphError`` into a message and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NkGraphError as error:
            click.echo(f"nkgraph: error: {error}", err=True)
            ctx.exit(exit_code(error))


@click.group(cls=NkGraphGroup)
@click.version_option(__version__, prog_name="nkgraph")
@click.option(
    "-v", "--verbose", is_flag=True, help="Log debugging detail, with tracebacks, to stderr."
)
def main(verbose: bool) -> None:
    """A validated knowledge graph of one news article, with provenance."""
    _configure_logging(verbose=verbose)


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--shapes",
    type=click.Path(path_type=Path),
    help="SHACL shapes file to validate against. Default: the shipped shapes.",
)
@click.option(
    "--ontology",
    type=click.Path(path_type=Path),
    help="Ontology file to load with the data. Default: the shipped ontology.",
)
@click.option(
    "--format",
    "report_format",
    type=click.Choice(REPORT_FORMAT_NAMES),
    default="text",
    show_default=True,
    help="How to print the report: readable text, JSON, or the SHACL report graph in Turtle.",
)
@click.pass_context
def validate_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    shapes: Path | None,
    ontology: Path | None,
    report_format: str,
) -> None:
    """Check the knowledge graph, or the RDF files or folders in PATHS, with SHACL.

    Exit status: 0 the data conforms; 1 it does not; 2 a file cannot be read or
    parsed, or the shapes cannot be used; 3 nkgraph is not installed properly.
    """
    # The ontology is read with any data: shapes may rely on its classes.
    dataset = load_dataset(list(paths) or None, ontology=ontology, with_ontology=True)
    from nkgraph.validation.report_writers import REPORT_FORMATS
    from nkgraph.validation.shacl import validate

    report = validate(dataset, shapes=load_shapes(shapes))
    click.echo(REPORT_FORMATS[report_format](report), nl=False)
    ctx.exit(EXIT_CONFORMS if report.conforms else EXIT_DOES_NOT_CONFORM)


@main.command("check-text")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.pass_context
def check_text_command(ctx: click.Context, paths: tuple[Path, ...]) -> None:
    """Check the knowledge graph, or the RDF files or folders in PATHS, against its text.

    Offsets of text units, mentions, figures, times and quotations give their words;
    quotations are verbatim between curly quotation marks; every sentence is the
    evidence of a statement or says why not; every occurrence of an entity's names is a
    mention in the graph or a reviewed non-mention.

    Exit status: 0 no problem; 1 problems (listed); 2 a file cannot be read or parsed, or
    holds no article text; 3 nkgraph is not installed properly.
    """
    from nkgraph.validation.text_check import check_text, render_text_report

    report = check_text(load_dataset(list(paths) or None))
    click.echo(render_text_report(report), nl=False)
    ctx.exit(EXIT_CONFORMS if report.ok else EXIT_DOES_NOT_CONFORM)


@main.command("anchors")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--write",
    is_flag=True,
    help="Write the shipped data/karabakh-exodus-2023-anchors.trig instead of printing.",
)
def anchors_command(paths: tuple[Path, ...], write: bool) -> None:
    """Generate the mentions and the offsets of figures, times and quotations from the
    text and the data in PATHS (default: the shipped graph), as TriG.

    Run it after changing a mention pattern, a figure, a time or a quotation.
    """
    from nkgraph.model.anchors import anchor_layer_trig
    from nkgraph.model.resources import shipped

    trig = anchor_layer_trig(load_dataset(list(paths) or None))
    if not write:
        click.echo(trig, nl=False)
        return
    if paths:
        raise click.UsageError("--write writes the shipped anchors file: give no PATHS with it")
    target = shipped().anchors
    target.write_text(trig, encoding="utf-8")
    click.echo(f"nkgraph: wrote {target}", err=True)


class _BriefFormatter(logging.Formatter):
    """Leaves tracebacks out: rdflib logs some with its warnings (ill-typed literals)."""

    def format(self, record: logging.LogRecord) -> str:
        # A copy, because another handler may have cached the traceback on the record.
        brief = logging.makeLogRecord(record.__dict__)
        brief.exc_info, brief.exc_text, brief.stack_info = None, None, None
        return super().format(brief)


def _configure_logging(*, verbose: bool) -> None:
    """One stderr handler on the root logger, replacing ours from an earlier run."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == _LOG_HANDLER]:
        root.removeHandler(handler)
    handler = logging.StreamHandler()
    handler.set_name(_LOG_HANDLER)
    fmt = "%(levelname)s: %(name)s: %(message)s"
    handler.setFormatter(logging.Formatter(fmt) if verbose else _BriefFormatter(fmt))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.WARNING)


#: What --union-default-graph means for the commands that open the data.
UNION_HELP = (
    "Whether a query's default graph is the union of all graphs. Default: the union for "
    "the shipped graph and as `load` recorded for --store; the files' own default graph "
    "for --data (NKGRAPH_UNION_DEFAULT_GRAPH)."
)


@main.command("serve")
@click.option("--host", help="Interface to listen on. Default: 127.0.0.1 (NKGRAPH_HOST).")
@click.option("--port", type=int, help="TCP port. Default: 8000 (NKGRAPH_PORT).")
@click.option("--workers", type=int, help="Worker processes. Default: 2 (NKGRAPH_WORKERS).")
@click.option("--threads", type=int, help="Threads per worker. Default: 4 (NKGRAPH_THREADS).")
@click.option(
    "--server",
    type=click.Choice(SERVERS),
    help="WSGI server. Default: gunicorn (NKGRAPH_SERVER).",
)
@TIMEOUT
@dataset_options("serve", UNION_HELP)
@write_options
def serve_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    server: str | None,
    query_timeout: float | None,
    data: tuple[Path, ...],
    store: Path | None,
    backend: str | None,
    union_default_graph: bool | None,
    with_ontology: bool | None,
    truthy: bool | None,
    writes: bool | None,
    tokens_file: Path | None,
    private: bool | None,
) -> None:
    """Serve the graph: Linked-Data pages at /, SPARQL 1.1 at /sparql, a query page at /query
    (and, with --writes, SPARQL Update at /update and Graph Store writes on /graph)."""
    from nkgraph.config import Settings
    from nkgraph.serve.server import serve

    settings = Settings.from_env(
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        server=server,
        query_timeout=query_timeout,
        data=data or None,
        store=store,
        backend=backend,
        union_default_graph=union_default_graph,
        with_ontology=with_ontology,
        truthy=truthy,
        writes=writes,
        tokens_file=tokens_file,
        private=private,
    )
    logging.getLogger("nkgraph").setLevel(settings.log_level.upper())
    serve(settings, ready=lambda url: click.echo(f"nkgraph: serving on {url}", err=True))


@main.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--store",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Store directory to build or replace (atomically).",
)
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SHACL shapes to validate against. Default: the shipped shapes.",
)
@click.option(
    "--no-validate",
    is_flag=True,
    help="Store the data without SHACL validation (for data checked before, or generated).",
)
@union_option(
    "Record whether `serve --store` answers with the union of all graphs as default "
    "graph. Default: the union for the shipped graph, the files' own default graph else."
)
@WITH_ONTOLOGY
@NO_TRUTHY
@click.option(
    "--replace-history",
    is_flag=True,
    help="Replace a store that has committed writes, dropping them (refused otherwise).",
)
def load_command(
    paths: tuple[Path, ...],
    directory: Path,
    shapes: Path | None,
    no_validate: bool,
    union_default_graph: bool | None,
    with_ontology: bool | None,
    truthy: bool | None,
    replace_history: bool,
) -> None:
    """Build an on-disk store from PATHS (default: the shipped graph) for `serve --store`.

    The store holds what `serve --data PATHS` would serve. The data is validated first
    (with the ontology); data that does not conform changes nothing (exit 1). The new
    store replaces the previous one in one atomic step, so a load that is killed leaves
    the previous store in use.
    """
    from nkgraph.sparql.store import build_store

    info = build_store(
        list(paths) or None,
        directory,
        shapes=shapes,
        validate=not no_validate,
        with_ontology=bool(with_ontology),
        truthy=truthy is not False,
        union_default_graph=union_default_graph,
        replace_history=replace_history,
    )
    click.echo(f"nkgraph: stored {info.quads} quads in {directory} (version {info.version})")


@main.command("synth")
@click.option("--articles", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--seed", type=int, default=2023, show_default=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write: .nq (N-Quads) or .trig.",
)
def synth_command(articles: int, seed: int, output: Path) -> None:
    """Write deterministic synthetic news articles in the graph's vocabulary (for scale)."""
    from nkgraph.formats import from_extension
    from nkgraph.model.synthetic import SYNTHETIC_FORMATS, synthetic_extensions, write_synthetic

    if from_extension(output.suffix, SYNTHETIC_FORMATS) is None:
        raise click.BadParameter(f"write to a {synthetic_extensions()} file", param_hint="--output")
    write_synthetic(output, articles, seed=seed)
    click.echo(f"nkgraph: wrote {articles} synthetic article(s) to {output}")


@main.command("push")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--backend",
    help="The external server: sparql+http://HOST/PATH (NKGRAPH_BACKEND).",
)
@click.option(
    "--graph-store",
    help="Its Graph Store Protocol endpoint, if not guessed from the backend "
    "(Oxigraph, Fuseki: /store or /data next to /query or /sparql).",
)
@click.option("--no-validate", is_flag=True, help="Push without SHACL validation.")
@WITH_ONTOLOGY
@NO_TRUTHY
def push_command(
    paths: tuple[Path, ...],
    backend: str | None,
    graph_store: str | None,
    no_validate: bool,
    with_ontology: bool | None,
    truthy: bool | None,
) -> None:
    """Validate PATHS (default: the shipped graph) and load them into an external SPARQL
    server, graph by graph, with the SPARQL 1.1 Graph Store Protocol (PUT replaces).

    What is pushed is what `serve --data PATHS` would serve."""
    from nkgraph.config import Settings
    from nkgraph.sparql.remote import push

    settings = Settings.from_env(backend=backend)
    if not settings.backend:
        raise click.UsageError("give --backend sparql+http://HOST/PATH or set NKGRAPH_BACKEND")
    pushed = push(
        list(paths) or None,
        settings.backend,
        graph_store=graph_store,
        validate=not no_validate,
        with_ontology=bool(with_ontology),
        truthy=truthy is not False,
    )
    click.echo(f"nkgraph: pushed {pushed.quads} quads in {pushed.graphs} graphs to {pushed.url}")


@main.command("export")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "format_name",
    type=click.Choice([fmt.name for fmt in EXPORT_FORMATS]),
    default="turtle",
    show_default=True,
    help="Output format. TriG and N-Quads keep graph names; the others hold one graph.",
)
@click.option(
    "--graph",
    "graph_name",
    help="One graph: its IRI, its name under https://w3id.org/nkgraph/graph/ (e.g. "
    "ontology), or 'default' for the union of all. Default: the whole dataset.",
)
@click.option(
    "--frame",
    type=click.Choice(["entity"]),
    help="JSON-LD only: one nested object per resource, its blank nodes inside it.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write. Default: standard output.",
)
def export_command(
    paths: tuple[Path, ...],
    format_name: str,
    graph_name: str | None,
    frame: str | None,
    output: Path | None,
) -> None:
    """Write the knowledge graph, or the RDF files and folders in PATHS, in one format.

    Without --graph: in TriG and N-Quads every named graph; in Turtle, N-Triples,
    JSON-LD and RDF/XML the union of all graphs. The output is deterministic.
    """
    from nkgraph.export.dataset import Frame, export, graph_names, quads_of, select_graph
    from nkgraph.formats import from_name

    if frame is not None and format_name != JSON_LD.name:
        raise click.UsageError(f"--frame applies to --format {JSON_LD.name} only")
    dataset = load_dataset(list(paths) or None)
    which = select_graph(graph_name, graph_names(dataset))
    data = export(
        quads_of(dataset, which),
        from_name(format_name, EXPORT_FORMATS),
        frame=Frame(frame) if frame else None,
    )
    if output is None:
        click.echo(data, nl=False)  # bytes go to the binary stream, as written
    else:
        output.write_bytes(data)


def _register_wikidata() -> None:
    """``nkgraph wikidata ...`` lives in ``cli/wikidata.py`` (see its docstring)."""
    from nkgraph.cli.wikidata import wikidata_group

    main.add_command(wikidata_group)


def _register_query() -> None:
    """``nkgraph query`` lives in ``cli/query.py``."""
    from nkgraph.cli.query import query_command

    main.add_command(query_command)


def _register_token() -> None:
    """``nkgraph token ...`` lives in ``cli/tokens.py``."""
    from nkgraph.cli.tokens import token_group

    main.add_command(token_group)


def _register_history() -> None:
    """``nkgraph history`` and ``nkgraph revert`` live in ``cli/history.py``."""
    from nkgraph.cli.history import history_command, revert_command

    main.add_command(history_command)
    main.add_command(revert_command)


_register_wikidata()
_register_query()
_register_token()
_register_history()
