"""Serve under granian (``--server granian``), a WSGI server written in Rust.

Measured against gunicorn on the same app and machine (``benchmarks/bench_scale.py``),
granian answers up to 1.4 times as many light queries with one client. It is not the default:
each worker listens on its own ``SO_REUSEPORT`` socket, so connections go to a worker by
hash (a busy one too), and a reload of the workers failed a few of the requests that
were in flight (``benchmarks/recycle_under_load.py``).

A worker that abandoned a runaway query asks granian's main process to reload its workers
(``SIGHUP``): granian forks fresh workers from the loaded app and stops the old
ones once their in-flight responses are sent. A reload is not a crash, so it never trips
granian's crash-loop guard, which ends the whole server when a respawned worker *exits*
again within seconds (``benchmarks/granian_recycle.py`` shows both).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any

from granian.constants import Interfaces
from granian.log import LogLevels
from granian.server import MPServer

from nkgraph.config import Settings
from nkgraph.serve.recycle import RecycleOnRunaway

__all__ = ["granian_server", "run"]


def granian_server(settings: Settings) -> MPServer:
    """A granian server configured from ``settings`` (not started)."""
    return MPServer(
        "nkgraph",  # a label: the app comes from ``run``'s loader, not an import
        address=settings.host,
        port=settings.port,
        interface=Interfaces.WSGI,
        websockets=False,
        workers=settings.workers,
        blocking_threads=settings.threads,
        log_level=LogLevels(settings.log_level.lower()),
        respawn_failed_workers=True,
        # A reload forks each fresh worker, waits this long, then stops the old one: a
        # forked worker is ready at once, so the runaway query ends within a second.
        respawn_interval=0.25,
        # An old worker still busy after this long (a stuck response) is killed.
        workers_kill_timeout=int(settings.query_timeout) + 5,
    )


def run(app: RecycleOnRunaway, settings: Settings) -> None:
    """Serve ``app`` until interrupted, its workers forked from this process."""
    main = os.getpid()
    app.replace = lambda: os.kill(main, signal.SIGHUP)
    # Forked, not spawned: the workers inherit the loaded app and its data (Python 3.14
    # would otherwise spawn them, and each would load the data again).
    multiprocessing.set_start_method("fork", force=True)

    def loader(*_: Any) -> RecycleOnRunaway:
        return app

    granian_server(settings).serve(target_loader=loader, wrap_loader=False)
