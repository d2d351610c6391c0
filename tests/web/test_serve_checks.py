"""``nkgraph serve`` checks its data and its port before it says it is serving (issue #12)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from nkgraph.sparql.store import build_store
from tests.liveserver import free_port, start_server, stop_server
from tests.web.conftest import DATA

pytestmark = pytest.mark.live


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nkgraph", "serve", "--workers", "1", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if not k.startswith("NKGRAPH_")},
        check=False,
    )


@pytest.mark.parametrize("server", ["gunicorn", "granian"])
def test_broken_data_fails_before_serving(server: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    done = _serve("--server", server, "--data", str(broken), "--port", str(free_port()))
    assert done.returncode == 2
    assert "serving on" not in done.stderr
    assert "broken.ttl" in done.stderr


@pytest.mark.parametrize("server", ["gunicorn", "granian"])
def test_busy_port_is_one_line_and_status_2(server: str) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        done = _serve("--server", server, "--data", str(DATA), "--port", str(port))
    assert done.returncode == 2
    assert "serving on" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("nkgraph: error:")]
    assert len(errors) == 1
    assert f"port {port}" in errors[0]
    assert "--port" in errors[0]
    assert "NKGRAPH_PORT" in errors[0]


def test_stop_ends_every_worker_cleanly(tmp_path: Path) -> None:
    """SIGTERM ends the arbiter and both workers, none of them by a crash: the workers
    were forked after RocksDB opened the store, and its exit handler used to crash them
    (SIGSEGV, SIGABRT) or leave them waiting forever."""
    build_store(None, tmp_path / "store")
    server = start_server("--store", str(tmp_path / "store"), "--workers", "2")
    try:
        server.process.terminate()
        status = server.process.wait(timeout=15)
        assert server.process.stderr is not None
        log = server.process.stderr.read().decode()
    finally:
        stop_server(server)
    assert status == 0, log[-2000:]
    assert "SIGSEGV" not in log and "SIGABRT" not in log, log[-2000:]
    assert "Control socket" not in log  # gunicorn's per-user socket stays off
    with pytest.raises(ProcessLookupError):  # nothing of its process group is left
        os.killpg(server.process.pid, 0)
