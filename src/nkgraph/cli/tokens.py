"""``nkgraph token``: add, revoke and list the bearer tokens of a service with writes.

Registered on the main group by ``cli/commands.py``. The commands are thin shells over
:class:`nkgraph.curation.tokens.TokenFile`. ``add`` prints the secret once, alone on
standard output (so that a script can capture it), and nothing ever prints it again.
"""

from __future__ import annotations

from pathlib import Path

import click

from nkgraph.config import Settings
from nkgraph.curation.patch import DEFAULT_GRAPH
from nkgraph.curation.tokens import ALL_GRAPHS, Token, TokenFile, describe_graph

__all__ = ["token_group"]

_store_option = click.option(
    "--store",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The store whose tokens.json to use (NKGRAPH_STORE).",
)
_file_option = click.option(
    "--tokens-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The tokens file itself, wherever it is (NKGRAPH_TOKENS_FILE).",
)


def _token_file(store: Path | None, tokens_file: Path | None) -> TokenFile:
    """The file ``Settings.tokens_path`` names, with these options over the environment."""
    if store is not None and tokens_file is not None:
        raise click.UsageError("give --store DIR or --tokens-file FILE, not both")
    path = Settings.from_env(store=store, tokens_file=tokens_file).tokens_path
    if path is None:
        raise click.UsageError(
            "which tokens? give --store DIR (its tokens.json) or --tokens-file FILE "
            "(or set NKGRAPH_STORE or NKGRAPH_TOKENS_FILE)"
        )
    return TokenFile(path)


@click.group("token")
def token_group() -> None:
    """Bearer tokens for writes (and for reads of a private service)."""


@token_group.command("add")
@click.argument("name")
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    metavar="IRI",
    help="A named graph it may write; repeatable.",
)
@click.option("--default-graph", is_flag=True, help="It may write the default graph.")
@click.option("--all-graphs", is_flag=True, help="It may write every graph.")
@click.option("--read-only", is_flag=True, help="It may read a private service, not write.")
@_store_option
@_file_option
def add_command(
    name: str,
    graphs: tuple[str, ...],
    default_graph: bool,
    all_graphs: bool,
    read_only: bool,
    store: Path | None,
    tokens_file: Path | None,
) -> None:
    """Make a token named NAME (a short slug: the history names it) and print its secret.

    Say what it may write (--graph IRI, --default-graph, --all-graphs) or that it may
    only read (--read-only). The secret is printed once, on standard output.
    """
    rights = [*graphs, *([DEFAULT_GRAPH] if default_graph else []), *([ALL_GRAPHS] * all_graphs)]
    if read_only == bool(rights):
        raise click.UsageError(
            "say what the token may write (--graph IRI, --default-graph, --all-graphs) "
            "or give --read-only, and not both"
        )
    tokens = _token_file(store, tokens_file)
    secret = tokens.add(name, graphs=rights)
    click.echo(
        f"nkgraph: token {name!r} {_rights(Token(name, graphs=frozenset(rights)))}", err=True
    )
    click.echo(secret)
    click.echo(
        "nkgraph: keep this secret now: it will not be shown again (the file keeps only its "
        f"hash, in {tokens.path}). Send it as `Authorization: Bearer SECRET`.",
        err=True,
    )


@token_group.command("revoke")
@click.argument("name")
@_store_option
@_file_option
def revoke_command(name: str, store: Path | None, tokens_file: Path | None) -> None:
    """Remove the token named NAME; a running service refuses it from its next request."""
    tokens = _token_file(store, tokens_file)
    tokens.revoke(name)
    click.echo(f"nkgraph: revoked token {name!r} in {tokens.path}", err=True)


@token_group.command("list")
@_store_option
@_file_option
def list_command(store: Path | None, tokens_file: Path | None) -> None:
    """List the tokens: name, when made, and rights (never a secret or a hash)."""
    tokens = _token_file(store, tokens_file)
    listed = tokens.tokens()
    if not listed:
        click.echo(f"nkgraph: no token in {tokens.path}", err=True)
        return
    width = max(len(token.name) for token in listed)
    for token in listed:
        created = token.created.isoformat() if token.created else "?"
        click.echo(f"{token.name:<{width}}  {created}  {_rights(token)}")


def _rights(token: Token) -> str:
    """What ``token`` may do, in words."""
    reads = "may read" if token.read else "may not read"
    if not token.graphs:
        return f"{reads}, not write"
    return f"{reads}, and write " + ", ".join(describe_graph(g) for g in sorted(token.graphs))
