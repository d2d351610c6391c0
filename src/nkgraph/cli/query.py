"""``nkgraph query``: answer one SPARQL query from the command line, through the same
pipeline (``sparql/pipeline.py``), engine and limits as ``/sparql``.

Registered on the main group by ``cli/commands.py``; its errors become an exit status and a
one-line message there (``cli.EXIT_CODES``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Final

import click

from nkgraph.cli.options import TIMEOUT, dataset_options
from nkgraph.config import Settings
from nkgraph.formats import GRAPH_FORMATS, RESULT_FORMATS

__all__ = ["FORMAT_NAMES", "TABLE", "query_command"]

#: The terminal table: the default when standard output is a terminal.
TABLE: Final = "table"
#: Every format ``/sparql`` writes, results formats then RDF formats, and the table.
FORMAT_NAMES: Final = (*(f.name for f in RESULT_FORMATS), *(f.name for f in GRAPH_FORMATS), TABLE)


@click.command("query")
@click.argument("text", required=False)
@click.option(
    "-f",
    "--file",
    "file",
    type=click.File("r", encoding="utf-8"),
    help="Read the query from FILE ('-' for standard input) instead of TEXT.",
)
@click.option(
    "--format",
    "format_name",
    type=click.Choice(FORMAT_NAMES),
    help="Output format. Default: table on a terminal; else json for SELECT and ASK, "
    "turtle for CONSTRUCT and DESCRIBE.",
)
@click.option("--default-graph-uri", "default_graphs", multiple=True, help="As the protocol's.")
@click.option("--named-graph-uri", "named_graphs", multiple=True, help="As the protocol's.")
@click.option("--base", "base_iri", help="Base IRI for relative IRIs when the query has no BASE.")
@TIMEOUT
@click.option("--max-rows", type=int, help="Rows kept at most. Default: 10000 (NKGRAPH_MAX_ROWS).")
@dataset_options("query", "Whether the default graph is the union of all graphs (as for `serve`).")
def query_command(
    text: str | None,
    file: IO[str] | None,
    format_name: str | None,
    default_graphs: tuple[str, ...],
    named_graphs: tuple[str, ...],
    base_iri: str | None,
    query_timeout: float | None,
    max_rows: int | None,
    data: tuple[Path, ...],
    store: Path | None,
    backend: str | None,
    union_default_graph: bool | None,
    with_ontology: bool | None,
    truthy: bool | None,
) -> None:
    """Answer the SPARQL query TEXT ('-' or -f FILE: read it) on the graph `serve` serves.

    Exit status: 0 answered; 2 the query is wrong (syntax, nesting, a format that does
    not suit its form, a SERVICE off the allow-list) or a file cannot be read; 3 a
    setting is wrong; 4 an external server or SERVICE endpoint failed or did not answer
    in time; 5 the query ran out of time.
    """
    from nkgraph.sparql.opening import open_engine
    from nkgraph.sparql.pipeline import Limits, QueryPipeline, QueryRequest

    settings = Settings.from_env(
        query_timeout=query_timeout,
        max_rows=max_rows,
        data=data or None,
        store=store,
        backend=backend,
        union_default_graph=union_default_graph,
        with_ontology=with_ontology,
        truthy=truthy,
    )
    request = QueryRequest(_query_text(text, file), default_graphs, named_graphs, base_iri=base_iri)
    pipeline = QueryPipeline(open_engine(settings), Limits.from_settings(settings))
    plan = pipeline.plan(request)
    if format_name is None and sys.stdout.isatty():
        format_name = TABLE
    if format_name == TABLE:
        from nkgraph.sparql.text_table import render_text_table

        result = pipeline.evaluate(plan)
        click.echo(render_text_table(result), nl=False)
        _warn(result.truncated, result.max_rows, result.missing_graphs)
        return
    answer = pipeline.answer(plan, pipeline.choose_format(plan, format_name, None))
    click.echo(answer.body, nl=False)
    _warn(answer.truncated, answer.max_rows, answer.missing_graphs)


def _query_text(text: str | None, file: IO[str] | None) -> str:
    if file is not None:
        if text is not None:
            raise click.UsageError("give the query as TEXT or with -f FILE, not both")
        return file.read()
    if text is None:
        raise click.UsageError("give a query: TEXT, -f FILE, or '-' to read standard input")
    if text == "-":
        return sys.stdin.read()
    return text


def _warn(truncated: bool, max_rows: int, missing: tuple[str, ...]) -> None:
    if truncated:
        click.echo(f"nkgraph: warning: only the first {max_rows} rows (--max-rows)", err=True)
    for iri in missing:
        click.echo(
            f"nkgraph: warning: graph <{iri}> is not in this dataset; it was read as empty",
            err=True,
        )
