"""Options that several commands share: what data to open, and the query time limit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["TIMEOUT", "dataset_options", "write_options"]

_Command = TypeVar("_Command", bound=Callable[..., Any])

TIMEOUT = click.option(
    "--timeout",
    "query_timeout",
    type=float,
    help="Query time limit in seconds. Default: 30 (NKGRAPH_QUERY_TIMEOUT).",
)


def dataset_options(verb: str, union_help: str) -> Callable[[_Command], _Command]:
    """--data, --store, --backend and the dataset switches, for a command that ``verb``s
    the data ("serve", "query")."""
    options = (
        click.option(
            "--data",
            "data",
            multiple=True,
            type=click.Path(exists=True, path_type=Path),
            help=f"RDF file or folder to {verb} instead of the shipped graph; repeatable "
            "(NKGRAPH_DATA).",
        ),
        click.option(
            "--store",
            type=click.Path(exists=True, file_okay=False, path_type=Path),
            help=f"{verb.capitalize()} the store `nkgraph load --store DIR` built, without "
            "loading files (NKGRAPH_STORE).",
        ),
        click.option(
            "--backend",
            help="Answer queries with an external SPARQL server, sparql+http://HOST/PATH "
            "(NKGRAPH_BACKEND).",
        ),
        union_option(union_help),
        WITH_ONTOLOGY,
        NO_TRUTHY,
    )

    def apply(command: _Command) -> _Command:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def union_option(help_text: str) -> Callable[[_Command], _Command]:
    """--union-default-graph / --no-union-default-graph (unset: as the data says)."""
    return click.option(
        "--union-default-graph/--no-union-default-graph",
        "union_default_graph",
        default=None,
        help=help_text,
    )


WITH_ONTOLOGY = click.option(
    "--with-ontology",
    is_flag=True,
    default=None,
    help="Add nkgraph's ontology, in its own named graph, to the given files "
    "(the shipped graph always has it) (NKGRAPH_WITH_ONTOLOGY).",
)
NO_TRUTHY = click.option(
    "--no-truthy",
    "truthy",
    flag_value=False,
    default=None,
    help="Do not derive the truthy graph from the data's nkgraph statements "
    "(data without them never gets one) (NKGRAPH_TRUTHY).",
)


def write_options(command: _Command) -> _Command:
    """--writes, --tokens-file and --private, for ``serve``."""
    options = (
        click.option(
            "--writes/--no-writes",
            "writes",
            default=None,
            help="Accept SPARQL Update at /update and Graph Store writes on /graph from "
            "holders of a token with the right; needs --store. Default: off (NKGRAPH_WRITES).",
        ),
        click.option(
            "--tokens-file",
            type=click.Path(dir_okay=False, path_type=Path),
            help="The file of hashed tokens `nkgraph token add` writes. Default: tokens.json "
            "in the store (NKGRAPH_TOKENS_FILE).",
        ),
        click.option(
            "--private/--public",
            "private",
            default=None,
            help="Reads need a token too. Default: public (NKGRAPH_PRIVATE).",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command
