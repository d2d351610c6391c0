"""How can granian replace a worker twice in a row? The check behind nkgraph's recycling.

nkgraph replaces a worker process after one of its queries overran its deadline (the
evaluation cannot be interrupted, only ended with its process). This starts granian
(``--respawn-failed-workers``) on a free local port with a WSGI app that has two ways of
asking for that, and asks each three times, a few seconds apart:

- ``/exit`` ends the worker (``os._exit``): granian respawns it once, then stops the whole
  server ("worker crash loop detected", granian 2.8);
- ``/reload`` sends ``SIGHUP`` to granian's main process, as nkgraph does: granian forks
  fresh workers and stops the old ones gracefully, as often as asked.

It prints what answered after each request and asserts nothing.

    python benchmarks/granian_recycle.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

APP = """
import os, signal, threading

def app(environ, start_response):
    if environ["PATH_INFO"] == "/exit":  # a worker that ends itself
        threading.Timer(0.2, os._exit, (1,)).start()
    if environ["PATH_INFO"] == "/reload":  # a worker that asks for fresh workers
        os.kill(os.getppid(), signal.SIGHUP)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [str(os.getpid()).encode()]
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str) -> str:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:
            return str(response.read().decode())
    except (urllib.error.URLError, OSError) as error:
        return f"no answer ({error})"


def trial(work: str, how: str) -> None:
    granian = Path(sys.executable).parent / "granian"
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        [str(granian), "--interface", "wsgi", "--workers", "2", "--port", str(port),
         "--respawn-failed-workers", "--respawn-interval", "0.25", "recycle_app:app"],
        cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        time.sleep(2)
        print(f"## /{how}")
        print("before:", get(port, "/"))
        for round_ in (1, 2, 3):
            print(f"{how} {round_}: asked by worker {get(port, '/' + how)}")
            time.sleep(3)
            print(f"  then: {get(port, '/')}; granian running: {process.poll() is None}")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
    lines = output.decode(errors="replace").splitlines()
    print("granian's log (crash loop, reload):")
    for line in lines:
        if "crash loop" in line or "HUP" in line:
            print("  " + line)


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        Path(work, "recycle_app.py").write_text(APP)
        trial(work, "exit")
        trial(work, "reload")


if __name__ == "__main__":
    main()
