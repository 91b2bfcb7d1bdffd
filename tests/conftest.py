"""Shared fixtures: a copy of the fixture corpus (plus the shipped sample) and an index built from it."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import waitress
from waitress import wasyncore

from search import Settings, build_index

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "releases"
SAMPLE = ROOT / "corpus" / "000_9bbab4686f7edeba.txt"
SHARED_RELEASES = ROOT.parent / "shared" / "data" / "releases"
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
def built_settings(tmp_path_factory) -> Settings:
    """Settings of an index built once from the fixture corpus; for tests that only read."""
    base = tmp_path_factory.mktemp("built")
    settings = Settings(corpus=copy_fixture_corpus(base / "corpus"), index=base / "index")
    build_index(settings)
    return settings


@pytest.fixture
def settings(tmp_path) -> Settings:
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
def serve_app(app, threads: int = 2) -> Iterator[str]:
    """Serve `app` with waitress on a free loopback port in a background thread; yields the base URL."""
    sockets: dict = {}
    server = waitress.create_server(app, map=sockets, host="127.0.0.1", port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        # Close the sockets in the server's own thread: closing them from here races with its select().
        server.trigger.pull_trigger(lambda: wasyncore.close_all(sockets))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()
        assert not thread.is_alive()
