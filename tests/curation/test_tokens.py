"""The tokens file: adding, revoking and listing tokens, checking secrets and rights."""

from __future__ import annotations

import doctest
import hmac
import json
import logging
import os
import stat
from pathlib import Path

import pytest

import nkgraph.curation.tokens
from nkgraph.curation.patch import DEFAULT_GRAPH
from nkgraph.curation.tokens import (
    ALL_GRAPHS,
    SECRET_PREFIX,
    Token,
    TokenFile,
    check_write,
)
from nkgraph.errors import ConfigurationError, WriteForbidden
from nkgraph.sparql.store import build_store

REVIEWS = "https://w3id.org/nkgraph/graph/reviews"
OTHER = "https://w3id.org/nkgraph/graph/other"


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFile:
    return TokenFile(tmp_path / "tokens.json")


def test_a_secret_authenticates_as_its_token(tokens: TokenFile) -> None:
    secret = tokens.add("alice", graphs=[REVIEWS])
    token = tokens.authenticate(secret)
    assert token is not None
    assert (token.name, token.read, token.graphs) == ("alice", True, frozenset({REVIEWS}))
    assert token.created is not None


def test_secrets_are_long_random_and_prefixed(tokens: TokenFile) -> None:
    first = tokens.add("alice", graphs=[REVIEWS])
    second = tokens.add("bob", graphs=[REVIEWS])
    assert first.startswith(SECRET_PREFIX)
    assert len(first) >= len(SECRET_PREFIX) + 43  # 32 bytes in URL-safe base64
    assert first != second


@pytest.mark.parametrize(
    "secret",
    ["", "nkg_", "wrong", "nkg_" + "A" * 43],
    ids=["empty", "prefix-only", "wrong", "well-formed-but-unknown"],
)
def test_other_secrets_do_not_authenticate(tokens: TokenFile, secret: str) -> None:
    tokens.add("alice", graphs=[REVIEWS])
    assert tokens.authenticate(secret) is None


def test_each_secret_finds_its_own_token(tokens: TokenFile) -> None:
    secrets = {name: tokens.add(name, graphs=[REVIEWS]) for name in ("a", "b", "c")}
    found = {name: tokens.authenticate(secret) for name, secret in secrets.items()}
    assert {name: token.name if token else None for name, token in found.items()} == {
        "a": "a",
        "b": "b",
        "c": "c",
    }


def test_a_missing_file_holds_no_token(tokens: TokenFile) -> None:
    assert tokens.tokens() == ()
    assert tokens.authenticate("nkg_anything") is None


def test_a_duplicate_name_is_refused_and_changes_nothing(tokens: TokenFile) -> None:
    secret = tokens.add("alice", graphs=[REVIEWS])
    before = tokens.path.read_bytes()
    with pytest.raises(ConfigurationError, match="named 'alice' already"):
        tokens.add("alice", graphs=[OTHER])
    assert tokens.path.read_bytes() == before
    assert tokens.authenticate(secret) is not None


@pytest.mark.parametrize("name", ["", "Alice", "a b", "-lead", "x" * 41, "al/ice"], ids=repr)
def test_a_name_must_be_a_short_slug(tokens: TokenFile, name: str) -> None:
    with pytest.raises(ConfigurationError, match="not a short slug"):
        tokens.add(name, graphs=[REVIEWS])
    assert not tokens.path.exists()


@pytest.mark.parametrize("graph", ["reviews", "<https://e/g>", "https://e/a b"], ids=repr)
def test_a_graph_must_be_an_absolute_iri(tokens: TokenFile, graph: str) -> None:
    with pytest.raises(ConfigurationError, match="not a graph a token can write"):
        tokens.add("alice", graphs=[graph])


def test_a_token_must_have_some_right(tokens: TokenFile) -> None:
    with pytest.raises(ConfigurationError, match="no right"):
        tokens.add("nobody", graphs=[], read=False)


def test_revoked_token_stops_authenticating_in_a_living_object(tmp_path: Path) -> None:
    service = TokenFile(tmp_path / "tokens.json")  # as a running service holds it
    command = TokenFile(tmp_path / "tokens.json")  # as `nkgraph token revoke` opens it
    secret = command.add("alice", graphs=[REVIEWS])
    kept = command.add("bob", graphs=[REVIEWS])
    assert service.authenticate(secret) is not None
    command.revoke("alice")
    assert service.authenticate(secret) is None
    assert service.authenticate(kept) is not None
    assert [t.name for t in service.tokens()] == ["bob"]


def test_a_token_added_later_is_seen_by_a_living_object(tmp_path: Path) -> None:
    service = TokenFile(tmp_path / "tokens.json")
    assert service.tokens() == ()
    secret = TokenFile(tmp_path / "tokens.json").add("alice", graphs=[REVIEWS])
    assert service.authenticate(secret) is not None


def test_revoking_an_unknown_name_lists_the_known_ones(tokens: TokenFile) -> None:
    tokens.add("alice", graphs=[REVIEWS])
    with pytest.raises(ConfigurationError, match="no token named 'bob'; its tokens are: alice"):
        tokens.revoke("bob")


def test_the_file_is_private_to_its_owner(tokens: TokenFile) -> None:
    tokens.add("alice", graphs=[REVIEWS])
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600
    tokens.revoke("alice")  # rewritten: still private
    assert stat.S_IMODE(tokens.path.stat().st_mode) == 0o600


def test_the_file_keeps_a_hash_never_the_secret(tokens: TokenFile) -> None:
    secret = tokens.add("alice", graphs=[DEFAULT_GRAPH, REVIEWS])
    text = tokens.path.read_text(encoding="utf-8")
    assert secret not in text
    assert secret[len(SECRET_PREFIX) :] not in text
    (item,) = json.loads(text)["tokens"]
    assert set(item) == {"name", "sha256", "read", "graphs", "created"}
    assert item["graphs"] == [DEFAULT_GRAPH, REVIEWS]


def test_no_temporary_file_is_left(tokens: TokenFile) -> None:
    tokens.add("alice", graphs=[REVIEWS])
    tokens.revoke("alice")
    assert [p.name for p in tokens.path.parent.iterdir()] == ["tokens.json"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("{not json", "not JSON"),
        ('{"version": 1}', "a field is missing: 'tokens'"),
        ('{"version": 2, "tokens": []}', "its version is 2"),
        ('{"version": 1, "tokens": [{"name": "a"}]}', "a field is missing"),
        (
            '{"version": 1, "tokens": [{"name": "a", "sha256": "zz", "read": true, '
            '"graphs": [], "created": null}]}',
            "damaged",
        ),
        (
            '{"version": 1, "tokens": [{"name": "a", "sha256": "00", "read": "yes", '
            '"graphs": [], "created": null}]}',
            "read right of token 'a'",
        ),
        ("[]", "damaged"),
    ],
    ids=["not-json", "no-tokens", "new-version", "no-fields", "bad-hash", "bad-read", "list"],
)
def test_a_damaged_file_is_a_clear_error(tokens: TokenFile, text: str, problem: str) -> None:
    tokens.path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=r"tokens file .* is damaged") as caught:
        tokens.authenticate("nkg_x")
    assert problem in str(caught.value)
    with pytest.raises(ConfigurationError, match="damaged"):
        tokens.add("alice", graphs=[REVIEWS])


def test_a_file_others_can_read_is_warned_about(
    tokens: TokenFile, caplog: pytest.LogCaptureFixture
) -> None:
    tokens.add("alice", graphs=[REVIEWS])
    os.chmod(tokens.path, 0o644)
    with caplog.at_level(logging.WARNING, logger="nkgraph.curation.tokens"):
        assert [t.name for t in TokenFile(tokens.path).tokens()] == ["alice"]
    assert "can be read by others" in caplog.text


def test_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="create the directory"):
        TokenFile(tmp_path / "absent" / "tokens.json").add("alice", graphs=[REVIEWS])


@pytest.mark.parametrize(
    ("graphs", "graph", "allowed"),
    [
        ({REVIEWS}, REVIEWS, True),
        ({REVIEWS}, OTHER, False),
        ({REVIEWS}, DEFAULT_GRAPH, False),
        ({DEFAULT_GRAPH}, DEFAULT_GRAPH, True),
        ({ALL_GRAPHS}, OTHER, True),
        ({ALL_GRAPHS}, DEFAULT_GRAPH, True),
        (set(), REVIEWS, False),
    ],
    ids=["named", "other-named", "default-for-named", "default", "all-named", "all-default",
         "read-only"],
)  # fmt: skip
def test_may_write(graphs: set[str], graph: str, allowed: bool) -> None:
    assert Token("t", graphs=frozenset(graphs)).may_write(graph) is allowed


def test_check_write_passes_a_token_with_every_right() -> None:
    check_write(Token("t", graphs=frozenset({REVIEWS, DEFAULT_GRAPH})), {DEFAULT_GRAPH, REVIEWS})


def test_check_write_names_the_token_and_the_graph() -> None:
    token = Token("alice", graphs=frozenset({REVIEWS}))
    with pytest.raises(WriteForbidden, match=r"'alice' may not write the default graph") as caught:
        check_write(token, {REVIEWS, DEFAULT_GRAPH})
    assert caught.value.token == token.name
    assert f"it may write graph <{REVIEWS}>" in str(caught.value)


def test_check_write_refuses_a_read_only_token_even_an_empty_change() -> None:
    with pytest.raises(WriteForbidden, match="read-only"):
        check_write(Token("reader"), set())


def test_a_load_keeps_the_tokens_in_its_store(tmp_path: Path, test_data: Path) -> None:
    store = tmp_path / "store"
    build_store([test_data / "valid.trig"], store, validate=False)
    secret = TokenFile(store / "tokens.json").add("alice", graphs=[REVIEWS])
    build_store([test_data / "valid.trig"], store, validate=False)  # a reload
    assert TokenFile(store / "tokens.json").authenticate(secret) is not None


@pytest.mark.parametrize("which", [0, 2, None], ids=["first", "last", "none"])
def test_every_entry_is_compared_wherever_the_match_is(
    tokens: TokenFile, monkeypatch: pytest.MonkeyPatch, which: int | None
) -> None:
    secrets = [tokens.add(name, graphs=[REVIEWS]) for name in ("a", "b", "c")]
    compared: list[bool] = []
    original = hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        compared.append(original(a, b))
        return compared[-1]

    monkeypatch.setattr(hmac, "compare_digest", spy)
    found = tokens.authenticate(secrets[which] if which is not None else "nkg_other")
    assert (found.name if found else None) == (None if which is None else "abc"[which])
    assert len(compared) == 3  # no early exit after a match
    assert compared.count(True) == (0 if which is None else 1)


def test_docstring_examples_run() -> None:
    failed, tried = doctest.testmod(nkgraph.curation.tokens)
    assert tried > 0
    assert failed == 0
