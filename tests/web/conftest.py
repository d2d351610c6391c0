"""Fixtures of the web tests: settings, app and client (as flaskr's), and a live server."""

from __future__ import annotations

import shutil
import tempfile
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from liveserver import LiveServer, start_server, stop_server
from rdflib import Dataset

from nkgraph.config import Settings
from nkgraph.model.loading import load_dataset
from nkgraph.model.resources import shipped as shipped_resources
from nkgraph.web import create_app

#: The web tests' fixture data: people, places, metadata and the W3C protocol graphs.
DATA = Path(__file__).parent / "data" / "dataset.trig"


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The fixture data with nkgraph's ontology (its 720 triples make the slow queries of
    the timeout tests slow), parsed once (apps copy it into their own engine)."""
    return load_dataset([DATA], with_ontology=True)


@pytest.fixture
def settings() -> Settings:
    """Settings for the fixture data, with a short timeout. The fixture's triples are all
    in named graphs, and its tests query them through the union default graph."""
    return Settings(data=(DATA,), query_timeout=5.0, union_default_graph=True, with_ontology=True)


@pytest.fixture
def app(settings: Settings, dataset: Dataset) -> Flask:
    """An app serving the fixture data."""
    app = create_app(settings, dataset=dataset)
    app.testing = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture(scope="module")
def shipped() -> Dataset:
    """The shipped graph, as ``nkgraph serve`` loads it."""
    return load_dataset()


@pytest.fixture(scope="module")
def shipped_client(shipped: Dataset) -> Iterator[FlaskClient]:
    """A test client of the service on the shipped graph."""
    app = create_app(Settings(), dataset=shipped)
    app.testing = True
    yield app.test_client()


@pytest.fixture(scope="session")
def live_server() -> Iterator[LiveServer]:
    """The real server (gunicorn, 2 workers) on the fixture data, 2 s query timeout."""
    server = start_server(
        "--data", str(DATA), "--union-default-graph", "--with-ontology", "--workers", "2",
        "--threads", "4", "--timeout", "2",
    )  # fmt: skip
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def granian_server() -> Iterator[LiveServer]:
    """The same under granian, the alternative server."""
    server = start_server(
        "--server", "granian", "--data", str(DATA), "--union-default-graph", "--with-ontology",
        "--workers", "2", "--timeout", "2",
    )  # fmt: skip
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def shipped_server() -> Iterator[LiveServer]:
    """The real server on the shipped graph, validated at startup, as ``nkgraph serve``."""
    server = start_server("--workers", "1")
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def writes_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real server with writes on, on a store of the shipped graph with one change
    committed (a person added, by the token ``curator``)."""
    from writestore import GOOD, build_shipped_store, copy_store

    folder = tmp_path_factory.mktemp("writes-server")
    store = copy_store(build_shipped_store(folder / "built"), folder / "store")
    server = start_server("--store", str(store.directory), "--writes", "--workers", "1")
    sent = urllib.request.Request(  # noqa: S310
        server.url + "/update",
        data=GOOD.encode(),
        headers={
            "Content-Type": "application/sparql-update",
            "Authorization": f"Bearer {store.writer}",
        },
    )
    with urllib.request.urlopen(sent, timeout=60):  # noqa: S310
        pass
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def reviewed_server() -> Iterator[LiveServer]:
    """The real server on the shipped graph plus the example fact-check reviews
    (``page_kinds.REVIEWS``): the server the page-kind checks open."""
    from page_kinds import REVIEWS

    files = (*shipped_resources().data_files(), REVIEWS)
    data = [arg for path in files for arg in ("--data", str(path))]
    server = start_server("--workers", "1", "--with-ontology", *data)
    yield server
    stop_server(server)


CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator[Any]:
    """A headless Chromium driven by selenium (skipped without Debian's chromium)."""
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(
            "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # The flags this machine's closed network needs (no background look-ups).
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
    ):
        options.add_argument(flag)
    with tempfile.TemporaryDirectory() as profile:
        options.add_argument(f"--user-data-dir={profile}")
        driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        try:
            yield driver
        finally:
            driver.quit()
