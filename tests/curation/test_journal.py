"""The journal: entries in RDF Patch, committed by their final name, one writer."""

from __future__ import annotations

import datetime
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from nkgraph.curation.journal import Entry, EntryNotFound, Journal, JournalError
from nkgraph.curation.patch import Patch
from nkgraph.errors import WriterBusy

EX = "http://example.org/"


def _entry(number: int, text: str = "x") -> Entry:
    quad = ox.Quad(
        ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal(text), ox.NamedNode(EX + "g")
    )
    blank = ox.Quad(ox.BlankNode("b1"), ox.NamedNode(EX + "p"), ox.Literal('a "quoted"\nline'))
    return Entry(
        number=number,
        id=f"urn:uuid:00000000-0000-0000-0000-{number:012d}",
        agent="curator",
        created=datetime.datetime(2026, 12, 5, 13, 0, number, tzinfo=datetime.UTC),
        request=f'INSERT DATA {{ <{EX}s> <{EX}p> "{text}" }}',
        version_before=f"v+{number - 1}",
        version_after=f"v+{number}",
        patch=Patch(removed=(blank,) if number > 1 else (), added=(quad, blank)),
    )


def test_an_entry_reads_back_as_written(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal")
    with journal.writer(1):
        journal.append(_entry(1))
        journal.append(_entry(2, "y"))
    assert journal.head() == 2
    assert journal.read(1) == _entry(1)
    assert journal.read(2) == _entry(2, "y")
    assert [e.number for e in journal.entries()] == [1, 2]
    assert [e.number for e in journal.entries(after=1)] == [2]


def test_entry_files_carry_rdf_patch_headers(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    with journal.writer(1):
        journal.append(_entry(1))
        journal.append(_entry(2))
    text = (tmp_path / "00000002.rdfp").read_text(encoding="utf-8")
    headers = [line.split()[1] for line in text.splitlines() if line.startswith("H ")]
    assert headers == [
        "id",
        "prev",
        "number",
        "agent",
        "created",
        "request",
        "versionBefore",
        "versionAfter",
    ]
    assert f"H prev <{_entry(1).id}> ." in text.splitlines()
    assert text.splitlines()[-1] == "TC ."


def test_an_empty_journal(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal")
    assert journal.head() == 0
    assert not journal.has(1)
    assert list(journal.entries()) == []
    with pytest.raises(EntryNotFound, match="no transactions yet"):
        journal.read(1)


def test_numbers_follow_each_other(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    with journal.writer(1):
        with pytest.raises(ValueError, match="cannot follow entry 0"):
            journal.append(_entry(2))
        journal.append(_entry(1))
    with pytest.raises(EntryNotFound, match="transactions 1 to 1"):
        journal.read(5)


def test_a_committed_number_is_never_overwritten(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    with journal.writer(1):
        journal.append(_entry(1))
    # Another writer's entry 2 appears between this writer's check and its link.
    (tmp_path / "00000002.rdfp").write_text(_entry(2, "theirs").to_rdf_patch(), "utf-8")
    journal.has = lambda number: number < 2  # type: ignore[method-assign]
    with pytest.raises(FileExistsError):
        journal.append(_entry(2, "ours"))
    assert Journal(tmp_path).read(2).patch == _entry(2, "theirs").patch
    assert list(tmp_path.glob("*.tmp")) == []


def test_the_next_writer_removes_temporary_files(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    with journal.writer(1):
        journal.append(_entry(1))
    stale = tmp_path / "00000002.rdfp.4242.tmp"
    stale.write_text("H id <urn:x> .\nTX .\nA <http://e/s", "utf-8")
    assert journal.head() == 1
    with journal.writer(1):
        assert not stale.exists()


def test_a_damaged_entry_is_a_journal_error(tmp_path: Path) -> None:
    (tmp_path / "00000001.rdfp").write_text("TX .\nA <http://e/s> .\nTC .\n", "utf-8")
    with pytest.raises(JournalError, match=r"00000001\.rdfp cannot be read"):
        Journal(tmp_path).read(1)


def test_one_writer_at_a_time(tmp_path: Path) -> None:
    journal = Journal(tmp_path)
    inside = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with Journal(tmp_path).writer(1):
            inside.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert inside.wait(10)
        started = time.monotonic()
        with pytest.raises(WriterBusy, match=r"more than 0\.2 s"), journal.writer(0.2):
            pass
        assert time.monotonic() - started >= 0.2
    finally:
        release.set()
        holder.join()
    with journal.writer(0.2):
        pass


def test_a_waiting_writer_gets_the_lock_when_it_is_released(tmp_path: Path) -> None:
    inside = threading.Event()
    leaving = threading.Event()

    def hold() -> None:
        with Journal(tmp_path).writer(1):
            inside.set()
            time.sleep(0.2)
            leaving.set()

    holder = threading.Thread(target=hold)
    holder.start()
    assert inside.wait(10)
    with Journal(tmp_path).writer(5):
        assert leaving.is_set()
    holder.join()
