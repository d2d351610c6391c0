"""``nkgraph history``: read the writes committed on a store.

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

__all__ = ["history_command", "history_table"]

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
