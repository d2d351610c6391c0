"""``nkgraph wikidata``: check the Wikidata links, suggest new ones, snapshot Wikidata facts.

Registered on the main group by ``cli/commands.py``; kept in its own module so that the commands
of the links work and of the service do not edit one file. Commands are thin: they read
their options, call ``nkgraph.wikidata.links`` and ``nkgraph.wikidata.client``, and print.

Exit status of ``check``: 0 every link holds; 1 some link does not (each is printed with
its problems); 4 Wikidata cannot be reached.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Final

import click

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped
from nkgraph.vocab import ID, NK
from nkgraph.wikidata.client import Entity, WikidataClient
from nkgraph.wikidata.links import (
    append_link,
    check_links,
    confirmed_record,
    kinds_of,
    linkable_entities,
    read_links,
    suggest_links,
)
from nkgraph.wikidata.snapshot import take_snapshot

__all__ = ["LINKS_FILE", "wikidata_group"]

#: The shipped links file, in ``data/``.
LINKS_FILE: Final = "karabakh-exodus-2023-wikidata.trig"
_links_option = click.option(
    "--links",
    "links_path",
    type=click.Path(path_type=Path),
    help=f"The links file. Default: data/{LINKS_FILE} of the shipped graph.",
)


def _links_file(path: Path | None) -> Path:
    return path if path is not None else shipped().data_dir / LINKS_FILE


def _data(path: Path | None) -> list[Path] | None:
    """The files to load: the shipped graph, or its other files with ``path`` as links."""
    if path is None:
        return None
    others = [p for p in shipped().data_files() if p.name != LINKS_FILE]
    return [*others, path] if path.exists() else others


def _client() -> WikidataClient:
    return WikidataClient.from_settings(Settings.from_env())


@click.group("wikidata")
def wikidata_group() -> None:
    """Links to Wikidata: check them, suggest new ones, snapshot the facts queries need."""


@wikidata_group.command("check")
@_links_option
@click.pass_context
def check_command(ctx: click.Context, links_path: Path | None) -> None:
    """Fetch each linked item and report links that no longer hold.

    A link no longer holds when its item is missing or deleted, redirects (was merged),
    or its label, description or type differ from those recorded.
    Exit status: 0 all hold; 1 some do not; 4 Wikidata cannot be reached.
    """
    dataset = load_dataset(_data(links_path))
    records = read_links(dataset)
    with _client() as client:
        lookups = client.get_entities(r.item for r in records)
    results = check_links(records, lookups, kinds=kinds_of(dataset, (r.resource for r in records)))
    for result in results:
        status = "ok" if result.holds else "FAIL"
        click.echo(
            f"{status}  {result.record.resource}  {result.record.item}  {result.record.label}"
        )
        for problem, detail in result.problems:
            click.echo(f"      {problem.value}: {detail}")
    failing = sum(not r.holds for r in results)
    click.echo(f"{len(results) - failing} of {len(results)} links hold.")
    ctx.exit(1 if failing else 0)


@wikidata_group.command("suggest")
@click.argument("entities", nargs=-1)
@click.option(
    "--accept",
    "accepted",
    multiple=True,
    metavar="ENTITY=QID",
    help="Write the confirmed link ENTITY=QID (e.g. antony-blinken=Q…) with its provenance.",
)
@click.option("--limit", default=5, show_default=True, help="Candidates per entity.")
@_links_option
def suggest_command(
    entities: tuple[str, ...], accepted: tuple[str, ...], limit: int, links_path: Path | None
) -> None:
    """Propose ranked Wikidata candidates for entities that have no link yet.

    ENTITIES (local names such as `antony-blinken`, or IRIs) limit the search; by default
    every linkable entity without a link is searched. Nothing is written unless --accept
    names a link a person has confirmed.
    """
    dataset = load_dataset(_data(links_path))
    linked = {r.resource for r in read_links(dataset)}
    candidates = {k: v for k, v in linkable_entities(dataset).items() if k not in linked}
    with _client() as client:
        if accepted:
            _accept(client, accepted, linkable_entities(dataset), linked, _links_file(links_path))
            return
        wanted = {_iri(e) for e in entities}
        chosen = {k: v for k, v in candidates.items() if not wanted or k in wanted}
        for suggestion in suggest_links(client, chosen, limit=limit):
            click.echo(f"{suggestion.resource}  ({suggestion.label})")
            for c in suggestion.candidates:
                click.echo(
                    f"  {c.rank}. {c.id}  {c.label or '?'}: {c.description or '(no description)'}"
                )
            if not suggestion.candidates:
                click.echo("  (no candidates)")


def _accept(
    client: WikidataClient,
    accepted: tuple[str, ...],
    linkable: dict[str, str],
    linked: set[str],
    path: Path,
) -> None:
    pairs = [_pair(a) for a in accepted]
    for resource, _ in pairs:
        if resource not in linkable:
            raise ConfigurationError(
                f"<{resource}> cannot be linked: it is not a named entity of the graph "
                "(unnamed groups and people and statements are never linked)"
            )
        if resource in linked:
            raise ConfigurationError(f"<{resource}> is already linked; edit {path} to change it")
    lookups = client.get_entities(qid for _, qid in pairs)
    for resource, qid in pairs:
        entity = lookups[qid]
        if not isinstance(entity, Entity) or entity.redirected:
            target = f"redirects to {entity.id}" if isinstance(entity, Entity) else "is missing"
            raise ConfigurationError(f"{qid} {target} on Wikidata; confirm another item")
        record = confirmed_record(
            resource, entity, today=datetime.date.today(), api_url=client.api_url
        )
        append_link(path, record)
        click.echo(f"linked {resource} to {qid} ({entity.label}: {entity.description}) in {path}")


def _pair(text: str) -> tuple[str, str]:
    entity, sep, qid = text.partition("=")
    if not sep or not qid.strip().startswith("Q"):
        raise click.BadParameter(f"{text!r} is not ENTITY=QID", param_hint="--accept")
    return _iri(entity.strip()), qid.strip()


def _iri(name: str) -> str:
    if name.startswith(("http://", "https://")):
        return name
    if name.startswith("nk:"):
        return str(NK) + name[3:]
    return str(ID) + name.removeprefix("id:")


@wikidata_group.command("snapshot")
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    default=Path("karabakh-exodus-2023-wikidata-snapshot.trig"),
    show_default=True,
    help="TriG file to write the snapshot graph to.",
)
def snapshot_command(output: Path) -> None:
    """Fetch the Wikidata facts the example queries need, for the linked items, into a
    named graph with the retrieval date (labels, instance of, positions held with dates,
    start and end times, population). Needs network; writes nothing without it."""
    dataset = load_dataset()
    items = sorted({r.item for r in read_links(dataset)})
    with _client() as client:
        snapshot = take_snapshot(client, items, retrieved=datetime.date.today())
    output.write_text(snapshot.trig, encoding="utf-8")
    click.echo(f"wrote {snapshot.triples} triples about {len(items)} items to {output}")
