"""kill -9 during writes loses no committed transaction and shows no part of another.

A writer process commits transactions in a loop through the real Curator on a real
store, printing each number once ``commit`` has returned; it is killed with SIGKILL at
a random moment, several times (seeded). After each kill the store is reopened.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from nkgraph.config import Settings
from nkgraph.curation.journal import Journal
from nkgraph.sparql.store import current_journal, open_store
from tests.curation.conftest import EX, open_curator

CHECKOUT = Path(__file__).resolve().parents[2]
ROUNDS = 4
#: Each transaction adds this many people and renames those of the one before.
PEOPLE = 40

WRITER = f"""
import sys
from pathlib import Path
from nkgraph.config import Settings
from nkgraph.curation.staging import patch_for_update
from tests.curation.conftest import open_curator

curator = open_curator(Settings(store=Path(sys.argv[1]), writes=True, write_wait=30))
while True:
    n = curator.head + 1
    people = " ".join(f'ex:p{{n}}-{{i}} a ex:Person ; ex:name "{{n}}" .' for i in range({PEOPLE}))
    renamed = " ".join(f'ex:p{{n - 1}}-{{i}} ex:name "{{n - 1}}" .' for i in range({PEOPLE}))
    again = " ".join(f'ex:p{{n - 1}}-{{i}} ex:name "again {{n - 1}}" .' for i in range({PEOPLE}))
    text = (
        "PREFIX ex: <{EX}>\\n"
        f"INSERT DATA {{{{ GRAPH ex:graph {{{{ {{people}} }}}} }}}} ;\\n"
        f"DELETE DATA {{{{ GRAPH ex:graph {{{{ {{renamed}} }}}} }}}} ;\\n"
        f"INSERT DATA {{{{ GRAPH ex:graph {{{{ {{again}} }}}} }}}}"
    )
    entry = curator.commit(lambda store: patch_for_update(store, text), agent="loop", request=text)
    print(entry.number, flush=True)
"""


def _run_and_kill(store: Path, rng: random.Random) -> list[int]:
    """Start the writer, kill -9 it at a random moment after its first commit; the
    numbers it acknowledged."""
    log = store.parent / "writer.log"
    acknowledged: list[int] = []
    first = threading.Event()
    with (
        log.open("w") as errors,
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(store)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            cwd=CHECKOUT,
            env={**os.environ, "PYTHONPATH": str(CHECKOUT)},
        ) as writer,
    ):

        def read() -> None:
            assert writer.stdout is not None
            for line in writer.stdout:
                acknowledged.append(int(line))
                first.set()

        reader = threading.Thread(target=read)
        reader.start()
        try:
            started = first.wait(60)
            time.sleep(rng.uniform(0.0, 0.6))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait()
            reader.join()
    assert started, f"the writer acknowledged no commit:\n{log.read_text()}"
    return acknowledged


def _expected(store: Path, journal: Journal) -> set[ox.Quad]:
    """The build's quads with every committed patch applied, one after the other."""
    built, _info = open_store(store)
    quads = set(built)
    del built
    for entry in journal.entries():
        assert entry.version_before.endswith(f"+{entry.number - 1}") or entry.number == 1
        quads -= set(entry.patch.removed)
        assert not quads & set(entry.patch.added)
        quads |= set(entry.patch.added)
    return quads


def test_kill_9_loses_nothing_committed(store_dir: Path) -> None:
    rng = random.Random(16)  # noqa: S311 (when to kill, not a secret)
    acknowledged: list[int] = []
    for _round in range(ROUNDS):
        acknowledged += _run_and_kill(store_dir, rng)
        journal = Journal(current_journal(store_dir))
        head = journal.head()
        assert acknowledged, "the writer committed nothing"
        assert max(acknowledged) <= head <= max(acknowledged) + 1
        final_names = sorted(p.name for p in journal.directory.glob("*.rdfp"))
        assert final_names == [f"{n:08d}.rdfp" for n in range(1, head + 1)]
        entries = list(journal.entries())  # every entry file parses
        assert [e.number for e in entries] == list(range(1, head + 1))
        # Whole transactions only: each adds its people and renames the ones before.
        assert {len(e.patch.added) for e in entries} == {3 * PEOPLE}
        assert [len(e.patch.removed) for e in entries] == [0] + [PEOPLE] * (head - 1)
        reopened = open_curator(Settings(store=store_dir, writes=True))
        assert reopened.head == head
        assert set(reopened.engine.store) == _expected(store_dir, journal)
    assert len(acknowledged) >= ROUNDS
