"""Run the service: load the data once, then serve it from forked worker processes.

Two production servers are offered (``--server``, ``NKGRAPH_SERVER``):

- ``gunicorn`` (the default), the pure-Python pre-fork server: all workers accept from
  one socket, and a worker being replaced finishes its requests while the others take
  new ones, so no request is lost;
- ``granian``, a Rust WSGI server, up to 1.4 times as fast on light queries with one
  client, but each
  worker has its own ``SO_REUSEPORT`` listener: connections are spread by hash, not to
  the idle worker, and replacing workers failed 5 to 8 of 15,000 or more concurrent
  requests in a test (``benchmarks/recycle_under_load.py``).

Both fork their workers from the process that loaded the data, and both replace a
worker that abandoned a runaway query (``serve/recycle.py``): that is what makes the query
timeout real. A single-process server (waitress, Flask's own) could not stop such a
query.

With writes on (``--writes``), ``create_app`` opens the curator in the loading process,
replaying the store's journal, before the workers fork. A worker shares no open lock
with another: the journal's writer lock is opened at each write (``Journal.writer``), and
each worker brings its copy of the data up to the journal before every request
(``web/freshness.py``), so every worker answers a commit from the request after it.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Callable

from nkgraph.config import Settings
from nkgraph.errors import ConfigurationError, PortInUse
from nkgraph.serve.recycle import RecycleOnRunaway
from nkgraph.sparql.opening import open_engine
from nkgraph.web import create_app

__all__ = ["check_port", "serve"]

logger = logging.getLogger(__name__)


def check_port(host: str, port: int) -> None:
    """Check that ``host``:``port`` can be listened on, as the servers will (with
    ``SO_REUSEADDR``, so a port a closed connection still holds counts as free).

    Raises:
        PortInUse: another program listens there.
        ConfigurationError: the address cannot be used for another reason.
    """
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise PortInUse(host, port, error.strerror or "address in use") from None
        raise ConfigurationError(
            f"cannot listen on {host}:{port}: {error.strerror or error}; check --host and "
            "--port (NKGRAPH_HOST, NKGRAPH_PORT)"
        ) from None


def serve(settings: Settings, *, ready: Callable[[str], None] | None = None) -> None:
    """Load (and validate) the data, check the port, then serve until interrupted.

    ``ready`` is called with the service's URL once both checks have passed, just before
    the server starts.

    Raises:
        DataLoadError: a file cannot be read or parsed.
        ConfigurationError: the shipped data does not conform.
        PortInUse: another program listens on the port.
    """
    app = create_app(settings, engine=open_engine(settings))
    check_port(settings.host, settings.port)
    if ready is not None:
        ready(f"http://{settings.host}:{settings.port}/")
    if settings.server == "granian":
        from nkgraph.serve import granian_server as server
    else:
        from nkgraph.serve import gunicorn_server as server  # type: ignore[no-redef]
    server.run(RecycleOnRunaway(app), settings)
