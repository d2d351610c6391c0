"""The ``nkgraph`` command line.

Commands are thin: they read their options, call the core and print. Errors the core
raises become a message on standard error and an exit code, in one place
(``EXIT_CODES``, used by ``NkGraphGroup``). Logging is configured here and nowhere else.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Final

import click

from nkgraph import __version__
from nkgraph.errors import (
    ConfigurationError,
    DataLoadError,
    NkGraphError,
    ShapesError,
)
from nkgraph.graph import load_dataset, load_shapes
from nkgraph.reporting import REPORT_FORMATS
from nkgraph.validation import validate

__all__ = ["EXIT_CODES", "exit_code", "main"]

#: ``nkgraph validate``: the data conforms to the shapes.
EXIT_CONFORMS: Final = 0
#: ``nkgraph validate``: the data does not conform.
EXIT_DOES_NOT_CONFORM: Final = 1
#: Exit codes of the errors the core raises; the most specific class listed wins.
#: 2 is also what click uses for a wrong option, so 2 always means "wrong input".
EXIT_CODES: Final[dict[type[NkGraphError], int]] = {
    DataLoadError: 2,
    ShapesError: 2,
    ConfigurationError: 3,
    NkGraphError: 3,
}

_LOG_HANDLER: Final = "nkgraph.cli"


def exit_code(error: NkGraphError) -> int:
    """The exit code for ``error``: that of its nearest class in ``EXIT_CODES``."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    raise AssertionError("unreachable: NkGraphError is in EXIT_CODES")  # pragma: no cover


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
    type=click.Choice(list(REPORT_FORMATS)),
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
    dataset = load_dataset(list(paths) or None, ontology=ontology)
    report = validate(dataset, shapes=load_shapes(shapes))
    click.echo(REPORT_FORMATS[report_format](report), nl=False)
    ctx.exit(EXIT_CONFORMS if report.conforms else EXIT_DOES_NOT_CONFORM)


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


@main.command("serve")
@click.option("--host", help="Interface to listen on. Default: 127.0.0.1 (NKGRAPH_HOST).")
@click.option("--port", type=int, help="TCP port. Default: 8000 (NKGRAPH_PORT).")
@click.option("--workers", type=int, help="Worker processes. Default: 2 (NKGRAPH_WORKERS).")
@click.option("--threads", type=int, help="Threads per worker. Default: 4 (NKGRAPH_THREADS).")
@click.option(
    "--timeout",
    "query_timeout",
    type=float,
    help="Query time limit in seconds. Default: 30 (NKGRAPH_QUERY_TIMEOUT).",
)
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="RDF file or folder to serve instead of the shipped graph; repeatable (NKGRAPH_DATA).",
)
def serve_command(
    host: str | None,
    port: int | None,
    workers: int | None,
    threads: int | None,
    query_timeout: float | None,
    data: tuple[Path, ...],
) -> None:
    """Serve the knowledge graph over the SPARQL 1.1 Protocol, with a query page at /."""
    from nkgraph.config import Settings
    from nkgraph.web.server import serve

    settings = Settings.from_env(
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        query_timeout=query_timeout,
        data=data or None,
    )
    logging.getLogger("nkgraph").setLevel(settings.log_level.upper())
    click.echo(f"nkgraph: serving on http://{settings.host}:{settings.port}/", err=True)
    serve(settings)
