"""``nkgraph serve`` in a subprocess on a free local port, for the live tests.

A module of its own (as ``rdfcompare.py``), not in a ``conftest.py``: test modules of
several folders import it, and ``conftest`` names a different module in each folder.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    """``nkgraph serve`` running in a subprocess."""

    url: str
    process: subprocess.Popen[bytes]

    @property
    def endpoint(self) -> str:
        return self.url + "/sparql"


def start_server(*args: str, env: dict[str, str] | None = None) -> LiveServer:
    """Start ``nkgraph serve ARGS`` on a free port and wait until it answers."""
    server = launch_server(*args, env=env)
    wait_until_ready(server)
    return server


def launch_server(*args: str, env: dict[str, str] | None = None) -> LiveServer:
    """Start ``nkgraph serve ARGS`` on a free port, without waiting for it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "nkgraph", "serve", "--port", str(port), *args],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its workers share its process group: see stop_server
    )
    return LiveServer(f"http://127.0.0.1:{port}", process)


def wait_until_ready(server: LiveServer, *, within: float = 60) -> None:
    """Wait until ``server`` answers a query (it is killed if it does not, in time)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            stderr = server.process.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
            raise RuntimeError(f"server exited: {stderr}")
        try:
            with urllib.request.urlopen(server.endpoint + "?query=ASK%7B%7D", timeout=1):  # noqa: S310
                return
        except OSError:
            time.sleep(0.05)
    server.process.kill()
    raise RuntimeError(f"server did not start within {within:g} s")


def stop_server(server: LiveServer) -> None:
    """Stop the server as an operator would (SIGTERM); then kill whatever of its process
    group is left, so that no test leaves a stray worker behind."""
    server.process.terminate()
    try:
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.process.pid, signal.SIGKILL)
    if server.process.stderr is not None:
        server.process.stderr.close()
