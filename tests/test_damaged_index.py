"""A damaged index under a running server and the CLI: found by checksums, answered from the last intact searcher
or with a 503 / exit 1 naming the files, and never a dead process (issue 12, point 7)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from search import LiveIndex, Settings, build_index, run_query
from search.cli import cli
from search.store.adder import add_paths
from search.store.checksums import SUMS_NAME
from search.store.generations import live_generation
from web import create_app

ROOT = Path(__file__).resolve().parent.parent
NEW_RELEASE = "Neue Meldung über den Deich\n\nDer Deich in Berlin hält, sagt die Feuerwehr am 3. März 2024.\n"
DAMAGED = "Der Suchindex ist beschädigt und muss neu aufgebaut werden. Bitte versuchen Sie es später erneut."


def truncate_to_half(path: Path) -> str:
    size = path.stat().st_size
    os.truncate(path, size // 2)
    return f"{size // 2} bytes, {size} recorded"


def fill_with_zeros(path: Path) -> str:
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(b"\0" * size)
    return "checksum differs"


def flip_one_bit(path: Path) -> str:
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        byte = handle.read(1)[0]
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte ^ 0x10]))
    return "checksum differs"


def delete(path: Path) -> str:
    path.unlink()
    return "missing"


# (file of the newest segment, damage): the audit's cases, on Whoosh's stored fields (read) and on the postings
# arrays (memory-mapped).
DAMAGES = [("._stored.col", truncate_to_half), ("._stored.col", fill_with_zeros), ("._stored.col", flip_one_bit),
           ("._stored.col", delete), (".postings", flip_one_bit), (".postings", truncate_to_half),
           (".postings", fill_with_zeros), (".postings", delete)]
IDS = [f"{suffix}-{damage.__name__}" for suffix, damage in DAMAGES]


def segment_ids(generation: Path) -> set[str]:
    names = os.listdir(generation)
    return {name.split(".")[0] for name in names if name.startswith("MAIN_") and "WRITELOCK" not in name}


def add_release(settings: Settings, tmp_path: Path) -> str:
    """Add NEW_RELEASE (a commit with one new segment); the id of the new segment."""
    generation = live_generation(settings.index)
    assert generation is not None
    before = segment_ids(generation)
    release = tmp_path / "deich.txt"
    release.write_text(NEW_RELEASE, encoding="utf-8")
    add_paths(settings, [str(release)])
    (added,) = segment_ids(generation) - before
    return added


def damaged_message(settings: Settings, name: str, problem: str) -> str:
    return f"The index in {settings.index} is damaged: {name}: {problem}. Run `presse rebuild`."


def ids_of(response) -> list[str]:
    return [hit["id"] for hit in response.get_json()["hits"]]


@pytest.fixture
def index_with_a_new_segment(settings: Settings, tmp_path: Path) -> tuple[Settings, Path, str]:
    build_index(settings)
    segment = add_release(settings, tmp_path)
    generation = live_generation(settings.index)
    assert generation is not None
    return settings, generation, segment


@pytest.mark.parametrize(("suffix", "damage"), DAMAGES, ids=IDS)
@pytest.mark.parametrize("command", ["info", "search"])
def test_the_cli_exits_1_naming_the_damaged_file(index_with_a_new_segment, suffix, damage, command):
    settings, generation, segment = index_with_a_new_segment
    name = segment + suffix
    problem = damage(generation / name)
    args = ["info"] if command == "info" else ["search", "Deich"]
    result = CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), *args])
    assert result.exit_code == 1, result.output
    assert result.stderr == f"Error: {damaged_message(settings, name, problem)}\n"
    assert result.stdout == ""


@pytest.mark.parametrize(("suffix", "damage"), DAMAGES, ids=IDS)
def test_damage_under_a_running_server_gives_503_and_health_names_it(index_with_a_new_segment, suffix, damage):
    settings, generation, segment = index_with_a_new_segment
    app = create_app(replace(settings, recheck_seconds=0))
    try:
        client = app.test_client()
        before = client.get("/api/search?q=Deich")
        assert before.status_code == 200
        assert client.get("/health").status_code == 200
        problem = damage(generation / (segment + suffix))
        page, api, health = client.get("/?q=Deich"), client.get("/api/search?q=Deich"), client.get("/health")
    finally:
        app.extensions["presse"].close()
    assert ids_of(before)[:1] == ["00001_ae626a71b5964fad"]
    assert page.status_code == 503
    assert DAMAGED in page.get_data(as_text=True)
    assert (api.status_code, api.get_json()) == (503, {"error": DAMAGED})
    assert health.status_code == 503
    assert health.get_json() == {"status": "damaged", "files": [f"{segment}{suffix}: {problem}"]}


@pytest.mark.parametrize(("suffix", "damage"), DAMAGES, ids=IDS)
def test_a_damaged_commit_is_not_opened_the_last_intact_searcher_answers(settings, tmp_path, suffix, damage):
    build_index(settings)
    generation = live_generation(settings.index)
    assert generation is not None
    app = create_app(replace(settings, recheck_seconds=0))
    try:
        client = app.test_client()
        before = client.get("/api/search?q=Deich")
        segment = add_release(settings, tmp_path)
        problem = damage(generation / (segment + suffix))
        after, health = client.get("/api/search?q=Deich"), client.get("/health")
    finally:
        app.extensions["presse"].close()
    assert after.status_code == 200
    assert ids_of(after) == ids_of(before)  # the release added by the damaged commit is not there
    assert "00001_ae626a71b5964fad" not in ids_of(after)
    assert health.status_code == 503
    body = health.get_json()
    assert (body["status"], body["files"], body["serving"]) == (
        "damaged", [f"{segment}{suffix}: {problem}"], "last intact index")


TRUNCATE_UNDER_A_SEARCH = """
import os, sys
from pathlib import Path
from search import IndexCorruptError, LiveIndex, Settings, run_query
settings = Settings(corpus=Path(sys.argv[1]), index=Path(sys.argv[2]))
postings = Path(sys.argv[3])
live = LiveIndex(settings.index, recheck_seconds=3600)
with live.searcher() as searcher:
    print(run_query(searcher, settings, "Deich").total, flush=True)
os.truncate(postings, 0)  # no page of the map is backed by the file any more: touching one is SIGBUS
try:
    with live.searcher() as searcher:
        print(run_query(searcher, settings, "Deich").total, flush=True)
except IndexCorruptError as error:
    print(error, flush=True)
"""


def test_truncating_memory_mapped_arrays_under_a_searcher_does_not_kill_it(index_with_a_new_segment):
    """A search touching arrays whose file was truncated died of SIGBUS; now the stat before it sees the change."""
    settings, generation, segment = index_with_a_new_segment
    postings = generation / f"{segment}.postings"
    size = postings.stat().st_size
    done = subprocess.run([sys.executable, "-c", TRUNCATE_UNDER_A_SEARCH, str(settings.corpus), str(settings.index),
                           str(postings)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    first, second, end = done.stdout.split("\n")
    assert int(first) > 0
    assert second == damaged_message(settings, postings.name, f"0 bytes, {size} recorded")
    assert end == ""


def test_an_index_without_checksums_opens_and_gets_them_at_the_next_commit(settings, tmp_path):
    """Indexes built before checksums were recorded keep working; the next `presse add` records them."""
    build_index(settings)
    generation = live_generation(settings.index)
    assert generation is not None
    (generation / SUMS_NAME).unlink()
    info = CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), "info", "--json"])
    assert info.exit_code == 0, info.output
    assert json.loads(info.stdout)["checksums"] == "not yet (written at the next commit)"
    segment = add_release(settings, tmp_path)
    recorded = json.loads((generation / SUMS_NAME).read_text(encoding="utf-8"))
    assert f"{segment}.postings" in recorded["files"]
    assert recorded["toc"] in os.listdir(generation)
    fill_with_zeros(generation / f"{segment}._stored.col")
    info = CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), "info"])
    assert info.exit_code == 1
    assert info.stderr == f"Error: {damaged_message(settings, segment + '._stored.col', 'checksum differs')}\n"


def test_a_rebuild_replaces_a_damaged_index(index_with_a_new_segment):
    settings, generation, segment = index_with_a_new_segment
    fill_with_zeros(generation / f"{segment}._stored.col")
    build_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as searcher:
        assert run_query(searcher, settings, "Deich").hits[0].id == "00001_ae626a71b5964fad"
    assert live.damage() is None
    live.close()


def test_files_are_read_once_then_only_stat_ed(index_with_a_new_segment, monkeypatch):
    """A file verified once is not read again while its size and mtime stay: only new or changed files are."""
    from search.store import checksums

    settings, generation, segment = index_with_a_new_segment
    read: list[str] = []
    original: Callable[[Path], int] = checksums.crc_of
    monkeypatch.setattr(checksums, "crc_of", lambda path: read.append(path.name) or original(path))
    live = LiveIndex(settings.index, recheck_seconds=0)
    with live.searcher():
        pass
    first = sorted(read)
    read.clear()
    for _ in range(3):
        with live.searcher():
            pass
    live.close()
    assert f"{segment}.postings" in first and f"{segment}._stored.col" in first
    assert read == []
