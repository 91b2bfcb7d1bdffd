"""Shared fixtures: copies of the fixture corpus, indexes built once per session from them, the web app over one."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from playwright.sync_api import Browser, sync_playwright
from werkzeug.serving import make_server

from search import LiveIndex, Searcher, Settings, build_index, run_query
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "releases"
SAMPLE = ROOT / "corpus" / "000_9bbab4686f7edeba.txt"
SHARED_RELEASES = ROOT.parent / "shared" / "data" / "releases"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# Every fixture file but the empty one, plus the shipped sample: what a build of the fixture corpus indexes.
USABLE_FIXTURES = len([p for p in FIXTURES.iterdir() if p.name != "leer.txt"]) + 1


def copy_fixture_corpus(target: Path, pattern: str = "*", with_sample: bool = True) -> Path:
    """The fixture releases matching `pattern` (and the shipped sample) in a fresh corpus folder."""
    target.mkdir(parents=True)
    for path in sorted(FIXTURES.glob(pattern)):
        shutil.copy(path, target / path.name)
    if with_sample:
        shutil.copy(SAMPLE, target / SAMPLE.name)
    return target


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of an index built once from the fixture corpus; for tests that only read."""
    base = tmp_path_factory.mktemp("built")
    settings = Settings(corpus=copy_fixture_corpus(base / "corpus"), index=base / "index")
    build_index(settings)
    return settings


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of an index built once from the eleven web_* fixtures; for web tests that only read.

    (built_settings is not used for them: its corpus holds every engine fixture too, and grows with them.)
    """
    base = tmp_path_factory.mktemp("web")
    settings = Settings(corpus=copy_web_corpus(base / "corpus"), index=base / "index")
    build_index(settings)
    return settings


def copy_web_corpus(target: Path) -> Path:
    return copy_fixture_corpus(target, "web_*", with_sample=False)


@pytest.fixture(scope="session")
def make_app(web_settings: Settings) -> Iterator[Callable[..., Flask]]:
    """A factory for apps over the web index: make_app(page_size=2)."""
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app(replace(web_settings, **overrides))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["presse"].close()


@pytest.fixture(scope="session")
def client(make_app: Callable[..., Flask]) -> FlaskClient:
    return make_app().test_client()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's chromium driven by Playwright, launched once for the browser and accessibility tests."""
    executable = require_path(CHROMIUM, "chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def web_url(make_app: Callable[..., Flask]) -> Iterator[str]:
    """The app over the web index, served on a free loopback port; for the browser tests.

    Per module: starting a server takes milliseconds, and none keeps serving while other modules start their own.
    """
    with serve_app(make_app()) as url:
        yield url


@contextmanager
def open_searcher(index: Path) -> Iterator[Searcher]:
    """A searcher on the live index in `index`, closed afterwards whatever happens."""
    live = LiveIndex(index)
    try:
        with live.searcher() as searcher:
            yield searcher
    finally:
        live.close()


@pytest.fixture(scope="session")
def searcher(built_settings: Settings) -> Iterator[Searcher]:
    """A searcher on the index built once from the fixture corpus; for tests that only read."""
    with open_searcher(built_settings.index) as opened:
        yield opened


def run_until_stopped(command: list[str]) -> None:
    """Run a child that prints "stopped" where it should die, and kill it there (as a power cut would)."""
    pipe = subprocess.PIPE
    process = subprocess.Popen(command, stdin=pipe, stdout=pipe, stderr=pipe, text=True)
    line = process.stdout.readline() if process.stdout else ""
    process.send_signal(signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    assert line == "stopped\n", err


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a private copy of the fixture corpus, without an index yet; for tests that write."""
    return Settings(corpus=copy_fixture_corpus(tmp_path / "corpus"), index=tmp_path / "index")


def require_path(path: Path, what: str) -> Path:
    """Skip when `path` is absent, but fail when PRESSE_REQUIRE_SHARED=1 (as in CI, which provides everything)."""
    if not path.exists():
        message = f"{what} not found at {path}"
        if os.environ.get("PRESSE_REQUIRE_SHARED") == "1":
            pytest.fail(message + " (PRESSE_REQUIRE_SHARED=1)")
        pytest.skip(message)
    return path


def require_shared(path: Path = SHARED_RELEASES) -> Path:
    return require_path(path, "shared data")


@contextmanager
def serve_app(app: Flask, threads: int = 2) -> Iterator[str]:
    """Serve `app` on a free loopback port in a background thread (a thread per request); yields the base URL.

    Werkzeug's server, whose shutdown() waits for its loop to end: waitress's asyncore loop, closed from outside,
    sometimes raised "Bad file descriptor" in its thread. `threads` is kept for callers; requests get their own.
    """
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        assert not thread.is_alive()


# Seconds `presse serve` may take to start answering in a test: generous, for a busy machine.
SERVE_START_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def presse_serve(settings: Settings, workers: int, threads: int,
                 environment: dict[str, str] | None = None) -> Iterator[int]:
    """`presse serve` in a child process on a free port, yielded once /health answers; stopped afterwards."""
    port = free_port()
    command = [sys.executable, "-c", "from search.cli import main; main()", "--corpus", str(settings.corpus),
               "--index", str(settings.index), "serve", "--port", str(port), "--workers", str(workers),
               "--threads", str(threads)]
    process = subprocess.Popen(command, env={**os.environ, **(environment or {})}, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + SERVE_START_SECONDS
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                try:
                    connection.request("GET", "/health")
                    connection.getresponse().read()
                finally:
                    connection.close()
                break
            except OSError:
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                assert time.monotonic() < deadline, "presse serve did not answer"
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)
        if process.stderr:
            process.stderr.close()


def run_total(settings: Settings, text: str) -> int:
    """The total of a search for `text` in the live index of `settings`, opened for this one search."""
    with open_searcher(settings.index) as searcher:
        return run_query(searcher, settings, text).total
