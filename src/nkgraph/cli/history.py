"""``nkgraph history`` and ``nkgraph revert``: read the writes committed on a store, and
undo one as a new, validated transaction.

Registered on the main group by ``cli/commands.py``; errors become an exit status there.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Final

import click

from nkgraph.config import Settings
from nkgraph.curation.journal import Entry, Journal
from nkgraph.formats import EXPORT_FORMATS

__all__ = ["history_command", "history_table", "revert_command"]

#: The history as a table for people: the default of ``--format``.
TABLE: Final = "table"
#: How much of a request the table shows.
_REQUEST_WIDTH: Final = 60

_STORE = click.option(
    "--store",
    "directory",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The store directory (`nkgraph load --store DIR`).",
)


@click.command("history")
@click.argument("number", type=click.IntRange(min=1), required=False)
@_STORE
@click.option(
    "--format",
    "format_name",
    type=click.Choice([TABLE, *(fmt.name for fmt in EXPORT_FORMATS)]),
    default=TABLE,
    show_default=True,
    help="A table for people, or the history as PROV-O in an RDF format.",
)
@click.option(
    "--base-iri",
    default=Settings().base_iri,
    show_default=True,
    help="The IRI the history's resources are named under ({base}history/N).",
)
def history_command(number: int | None, directory: Path, format_name: str, base_iri: str) -> None:
    """List the transactions committed on the store, or show transaction NUMBER (its
    RDF Patch: a D line per quad removed, an A line per quad added)."""
    journal = _journal(directory)
    if number is not None:
        journal.read(number)  # raises EntryNotFound, with what there is
        click.echo(journal.path(number).read_text(encoding="utf-8"), nl=False)
    elif format_name == TABLE:
        click.echo(history_table(journal.entries()))
    else:
        from nkgraph.curation.history import history_dataset
        from nkgraph.formats import from_name

        fmt = from_name(format_name, EXPORT_FORMATS)
        dataset = history_dataset(journal.entries(), base_iri=base_iri)
        click.echo(dataset.serialize(format=fmt.rdflib_format), nl=False)


@click.command("revert")
@click.argument("number", type=click.IntRange(min=1))
@_STORE
@click.option(
    "--as",
    "agent",
    default="nkgraph revert",
    show_default=True,
    help="The name the history records as the one who reverted.",
)
@click.option(
    "--shapes",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="SHACL shapes to check the result against. Default: the shipped shapes.",
)
def revert_command(number: int, directory: Path, agent: str, shapes: Path | None) -> None:
    """Undo transaction NUMBER: commit its inverse as a new transaction, checked against
    the shapes like any write (a later change that builds on it may make that fail)."""
    from nkgraph.curation.commit import Curator
    from nkgraph.curation.gate import ShapesGate
    from nkgraph.model.loading import load_shapes
    from nkgraph.sparql.engine import Engine
    from nkgraph.sparql.opening import open_engine

    settings = Settings(store=directory, writes=True)
    engine = open_engine(settings)
    assert isinstance(engine, Engine)  # noqa: S101 (a store opens in this process)
    gate = ShapesGate(load_shapes(shapes)) if shapes is not None else ShapesGate()
    curator = Curator.open(settings, engine, gate=gate)
    inverse = curator.journal.read(number).patch.inverse()
    entry = curator.commit(lambda _store: inverse, agent=agent, request=f"revert {number}")
    click.echo(history_table([entry]))


def history_table(entries: Iterable[Entry]) -> str:
    """The transactions as a table: number, when, who, what, +added/-removed."""
    rows = [("#", "when (UTC)", "who", "what", "+added/-removed")]
    rows.extend(_row(entry) for entry in entries)
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    if len(rows) == 1:
        lines.append("(no transactions yet)")
    return "\n".join(line.rstrip() for line in lines)


def _row(entry: Entry) -> tuple[str, str, str, str, str]:
    what = " ".join(entry.request.split())
    if len(what) > _REQUEST_WIDTH:
        what = what[: _REQUEST_WIDTH - 1] + "…"
    return (
        str(entry.number),
        entry.created.strftime("%Y-%m-%d %H:%M:%S"),
        entry.agent,
        what,
        f"+{len(entry.patch.added)}/-{len(entry.patch.removed)}",
    )


def _journal(directory: Path) -> Journal:
    from nkgraph.sparql.store import current_journal

    return Journal(current_journal(directory))
