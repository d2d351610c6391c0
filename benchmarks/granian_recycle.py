"""Can granian replace a worker twice in a row? The check behind keeping gunicorn.

nkgraph stops a worker process after one of its queries overran its deadline (the
evaluation cannot be interrupted, only ended with its process), and the server must start a
fresh worker. This starts granian (``--respawn-failed-workers``) on a free local port with a
WSGI app whose ``/exit`` ends its worker the way nkgraph would, asks ``/exit`` twice, a few
seconds apart, and prints whether granian still answers. It asserts nothing.

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
import os, threading

def app(environ, start_response):
    if environ["PATH_INFO"] == "/exit":  # what a worker does after a runaway query
        threading.Timer(0.2, os._exit, (1,)).start()
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


def main() -> None:
    granian = Path(sys.executable).parent / "granian"
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        Path(work, "recycle_app.py").write_text(APP)
        process = subprocess.Popen(  # noqa: S603 (our own arguments)
            [str(granian), "--interface", "wsgi", "--workers", "2", "--port", str(port),
             "--respawn-failed-workers", "--respawn-interval", "0.2", "recycle_app:app"],
            cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ.copy(),
        )  # fmt: skip
        try:
            time.sleep(2)
            print("before:", get(port, "/"))
            for round_ in (1, 2, 3):
                print(f"exit {round_}: worker {get(port, '/exit')} ends")
                time.sleep(3)
                print(f"  then: {get(port, '/')}; granian running: {process.poll() is None}")
        finally:
            process.terminate()
            output, _ = process.communicate(timeout=10)
        print("granian's log:")
        print(output.decode(errors="replace"))


if __name__ == "__main__":
    main()
