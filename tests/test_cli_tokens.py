"""``nkgraph token``: add prints the secret once, list and the file never hold it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nkgraph.cli.commands import main
from nkgraph.curation.patch import DEFAULT_GRAPH
from nkgraph.curation.tokens import ALL_GRAPHS, SECRET_PREFIX, TokenFile

REVIEWS = "https://w3id.org/nkgraph/graph/reviews"


def token(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, ["token", *args])


@pytest.fixture
def tokens_file(tmp_path: Path) -> Path:
    return tmp_path / "tokens.json"


def test_add_prints_the_secret_once_alone_on_stdout(runner: CliRunner, tokens_file: Path) -> None:
    result = token(runner, "add", "alice", "--graph", REVIEWS, "--tokens-file", str(tokens_file))
    assert result.exit_code == 0, result.output
    secret = result.stdout.strip()
    assert secret.startswith(SECRET_PREFIX)
    assert result.stdout == secret + "\n"
    assert result.output.count(secret) == 1  # not repeated on stderr
    assert "will not be shown again" in result.stderr
    found = TokenFile(tokens_file).authenticate(secret)
    assert found is not None
    assert found.graphs == frozenset({REVIEWS})


@pytest.mark.parametrize(
    ("options", "graphs", "read"),
    [
        (["--graph", REVIEWS, "--graph", "https://e/g"], {REVIEWS, "https://e/g"}, True),
        (["--default-graph"], {DEFAULT_GRAPH}, True),
        (["--all-graphs"], {ALL_GRAPHS}, True),
        (["--read-only"], set(), True),
    ],
    ids=["named", "default", "all", "read-only"],
)
def test_add_records_the_rights(
    runner: CliRunner, tokens_file: Path, options: list[str], graphs: set[str], read: bool
) -> None:
    result = token(runner, "add", "bob", *options, "--tokens-file", str(tokens_file))
    assert result.exit_code == 0, result.output
    (made,) = TokenFile(tokens_file).tokens()
    assert (made.name, made.graphs, made.read) == ("bob", frozenset(graphs), read)


@pytest.mark.parametrize(
    "options",
    [[], ["--read-only", "--default-graph"]],
    ids=["no-right", "read-only-and-a-graph"],
)
def test_add_needs_exactly_one_kind_of_right(
    runner: CliRunner, tokens_file: Path, options: list[str]
) -> None:
    result = token(runner, "add", "bob", *options, "--tokens-file", str(tokens_file))
    assert result.exit_code == 2
    assert "--read-only" in result.stderr
    assert not tokens_file.exists()


def test_the_file_is_found_in_the_store_directory(runner: CliRunner, tmp_path: Path) -> None:
    result = token(runner, "add", "alice", "--all-graphs", "--store", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert [t.name for t in TokenFile(tmp_path / "tokens.json").tokens()] == ["alice"]


def test_the_file_is_found_through_the_environment(runner: CliRunner, tokens_file: Path) -> None:
    result = runner.invoke(
        main,
        ["token", "add", "alice", "--all-graphs"],
        env={"NKGRAPH_TOKENS_FILE": str(tokens_file)},
    )
    assert result.exit_code == 0, result.output
    assert tokens_file.exists()


def test_without_a_file_or_store_the_command_says_what_to_give(runner: CliRunner) -> None:
    result = runner.invoke(
        main, ["token", "list"], env={"NKGRAPH_STORE": "", "NKGRAPH_TOKENS_FILE": ""}
    )
    assert result.exit_code == 2
    assert "--store DIR" in result.stderr
    assert "--tokens-file FILE" in result.stderr


def test_store_and_file_together_are_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = token(
        runner, "list", "--store", str(tmp_path), "--tokens-file", str(tmp_path / "t.json")
    )
    assert result.exit_code == 2
    assert "not both" in result.stderr


def test_list_shows_names_and_rights_never_secrets(runner: CliRunner, tokens_file: Path) -> None:
    where = ["--tokens-file", str(tokens_file)]
    alice = token(runner, "add", "alice", "--graph", REVIEWS, *where).stdout.strip()
    reader = token(runner, "add", "reader", "--read-only", *where).stdout.strip()
    result = token(runner, "list", *where)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["alice", "reader"]
    assert lines[0].endswith(f"may read, and write graph <{REVIEWS}>")
    assert lines[1].endswith("may read, not write")
    digests = [item["sha256"] for item in json.loads(tokens_file.read_text())["tokens"]]
    for hidden in (alice, reader, *digests):
        assert hidden not in result.output


def test_the_file_holds_no_secret(runner: CliRunner, tokens_file: Path) -> None:
    secret = token(runner, "add", "alice", "--all-graphs", "--tokens-file", str(tokens_file))
    assert secret.stdout.strip() not in tokens_file.read_text(encoding="utf-8")


def test_list_of_no_token_says_so(runner: CliRunner, tokens_file: Path) -> None:
    result = token(runner, "list", "--tokens-file", str(tokens_file))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "no token" in result.stderr


def test_revoke_removes_the_token(runner: CliRunner, tokens_file: Path) -> None:
    where = ["--tokens-file", str(tokens_file)]
    secret = token(runner, "add", "alice", "--all-graphs", *where).stdout.strip()
    result = token(runner, "revoke", "alice", *where)
    assert result.exit_code == 0, result.output
    assert "revoked token 'alice'" in result.stderr
    assert TokenFile(tokens_file).authenticate(secret) is None
    assert token(runner, "list", *where).stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["revoke", "nobody"], "no token named 'nobody'"),
        (["add", "alice", "--all-graphs"], "named 'alice' already"),
        (["add", "Not A Slug", "--all-graphs"], "not a short slug"),
        (["add", "bob", "--graph", "reviews"], "not a graph a token can write"),
    ],
    ids=["revoke-unknown", "duplicate", "bad-name", "relative-graph"],
)
def test_mistakes_are_one_line_and_exit_3(
    runner: CliRunner, tokens_file: Path, args: list[str], message: str
) -> None:
    token(runner, "add", "alice", "--all-graphs", "--tokens-file", str(tokens_file))
    before = tokens_file.read_bytes()
    result = token(runner, *args, "--tokens-file", str(tokens_file))
    assert result.exit_code == 3
    assert result.stderr.startswith("nkgraph: error: ")
    assert message in result.stderr
    assert tokens_file.read_bytes() == before
