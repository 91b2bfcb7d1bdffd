"""No code runs from index files: planted pickles are refused by every command and the web (issue 12, point 1)."""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
from pathlib import Path

import pytest
import whoosh
from click.testing import CliRunner
from whoosh.filedb.structfile import StructFile
from whoosh.index import _CURRENT_TOC_VERSION, _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE

from search import IndexCorruptError, LiveIndex, Settings, build_index, run_query
from search.cli import cli
from search.store import safe_unpickle
from search.store.adder import add_paths
from search.store.generations import live_generation
from search.store.live_index import open_index
from search.store.ownership import foreign_writers
from search.store.postings import segment_readers
from search.store.syncer import sync_index
from web import create_app

NEW_RELEASE = "Neue Meldung über den Deich\n\nDer Deich in Berlin hält, sagt die Feuerwehr am 3. März 2024.\n"


class Planted:
    """Unpickles to os.system(command): what an attacker who can write the index folder would plant."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def write_toc(generation: Path, schema: object, segments: object, number: int = 999,
              version: int = _CURRENT_TOC_VERSION) -> None:
    """A table of segments laid out as Whoosh writes one (index.TOC.write), holding the given pickles."""
    with open(generation / f"_MAIN_{number}.toc", "wb") as handle:
        stream = StructFile(handle)
        for size in (_INT_SIZE, _LONG_SIZE, _FLOAT_SIZE):
            stream.write_varint(size)
        stream.write_int(-12345)
        stream.write_int(version)
        for part in (3, 54, 0):
            stream.write_varint(part)
        stream.write_string(pickle.dumps(schema, 2))
        stream.write_int(number)
        stream.write_int(0)
        stream.write_pickle(segments)
        handle.flush()


def refusal(settings: Settings) -> str:
    return ("Error: The index holds a pickled posix.system, which presse refuses to load: its files may have been "
            "tampered with. Check who can write to the index folder, then run `presse rebuild`. "
            f"(index folder: {settings.index})\n")


@pytest.fixture
def planted(settings: Settings, tmp_path: Path) -> tuple[Settings, Path]:
    """An index whose live generation holds a planted TOC; the path of the file its payload would create."""
    build_index(settings)
    marker = tmp_path / "planted-ran"
    generation = live_generation(settings.index)
    assert generation is not None
    write_toc(generation, Planted(f"touch {marker}"), [])
    return settings, marker


@pytest.mark.parametrize("command", [["search", "Deich"], ["info"], ["add", "{release}"]])
def test_a_planted_toc_runs_nothing_and_every_command_refuses_it(planted, tmp_path, command):
    settings, marker = planted
    release = tmp_path / "neu.txt"
    release.write_text(NEW_RELEASE, encoding="utf-8")
    args = [part.format(release=release) for part in command]
    result = CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), *args],
                                env={"PRESSE_LOCK_TIMEOUT": "0.2"})
    assert not marker.exists()
    assert result.exit_code == 1, result.output
    assert result.stderr == refusal(settings)


def test_a_planted_toc_gives_the_web_a_503_from_its_first_search(planted):
    settings, marker = planted
    app = create_app(settings)
    try:
        client = app.test_client()
        page = client.get("/?q=Deich")
        api = client.get("/api/search?q=Deich")
        health = client.get("/health")
    finally:
        app.extensions["presse"].close()
    assert not marker.exists()
    assert page.status_code == 503
    assert "Der Suchindex ist beschädigt und muss neu aufgebaut werden." in page.get_data(as_text=True)
    assert api.status_code == 503
    assert health.status_code == 503
    assert health.get_json() == {"status": "unsafe", "detail": "an index file holds an object presse refuses to load"}


def test_a_planted_segment_list_is_refused(settings, tmp_path):
    """The segment list is a second pickle in the TOC, read through StructFile.read_pickle."""
    build_index(settings)
    marker = tmp_path / "planted-ran"
    generation = live_generation(settings.index)
    assert generation is not None
    ix = open_index(settings.index, generation)
    write_toc(generation, ix.schema, Planted(f"touch {marker}"))
    with pytest.raises(IndexCorruptError, match=re.escape("refuses to load")):
        LiveIndex(settings.index).searcher().__enter__()
    assert not marker.exists()


def test_a_toc_claiming_whoosh_1_format_is_not_unpickled(settings, tmp_path):
    """Whoosh reads TOCs of format -110 with an unpickler that resolves any class (whoosh.legacy)."""
    build_index(settings)
    marker = tmp_path / "planted-ran"
    generation = live_generation(settings.index)
    assert generation is not None
    write_toc(generation, Planted(f"touch {marker}"), Planted(f"touch {marker}"), version=-110)
    with pytest.raises(IndexCorruptError, match=re.escape("cannot be read (IndexVersionError)")):
        open_index(settings.index, generation)
    assert not marker.exists()


def test_only_the_listed_globals_load():
    safe_unpickle.install()
    assert safe_unpickle.restricted_loads(pickle.dumps({"datum": b"x", "n": 2**70}, 2)) == {"datum": b"x", "n": 2**70}
    with pytest.raises(IndexCorruptError, match=re.escape("a pickled posix.system")):
        safe_unpickle.restricted_loads(pickle.dumps(Planted("true"), 2))
    with pytest.raises(IndexCorruptError, match=re.escape("a pickled builtins.eval")):
        safe_unpickle.restricted_loads(pickle.dumps(eval, 4))


def test_the_allowed_globals_are_those_an_index_holds(settings, tmp_path, monkeypatch):
    """Build, add (a second segment), sync away a release (deletions), then search with facets, read every posting
    and every stored field: every global the pickles named is allowed, and every allowed one was named."""
    named: set[tuple[str, str]] = set()
    original = safe_unpickle.RestrictedUnpickler.find_class

    def recording(self, module, name):
        named.add((module, name))
        return original(self, module, name)

    monkeypatch.setattr(safe_unpickle.RestrictedUnpickler, "find_class", recording)
    build_index(settings)
    release = tmp_path / "neu.txt"
    release.write_text(NEW_RELEASE, encoding="utf-8")
    add_paths(settings, [str(release)])
    (settings.corpus / "unfall_singular.txt").unlink()
    sync_index(settings)
    live = LiveIndex(settings.index)
    with live.searcher() as searcher:
        for query in ["Deich", "Unfall Berlin", "Polizi", '"Stadt Berlin"', "datum:2024"]:
            run_query(searcher, settings, query, facets=True)
        assert sum(1 for _ in searcher.reader().iter_postings()) > 1000
        for leaf, _ in segment_readers(searcher.reader()):
            for number in range(leaf.doc_count_all()):
                leaf.stored_fields(number)
    live.close()
    assert named == safe_unpickle.PRESSE_GLOBALS


# Whoosh modules that unpickle but never read a presse index: older codecs and index formats, the multi-process
# writer, and the external sort, which reads back only runs it wrote itself into a private temporary folder.
NOT_READING_A_PRESSE_INDEX = {
    "codec/plaintext.py", "codec/whoosh2.py", "filedb/fileindex.py", "filedb/filereading.py", "filedb/misc.py",
    "legacy.py", "multiproc.py", "util/loading.py", "externalsort.py",
}


def test_every_whoosh_module_that_unpickles_is_restricted():
    """A Whoosh upgrade that unpickles in a new module fails here instead of loading anything."""
    safe_unpickle.install()
    assert safe_unpickle.is_installed()
    package = Path(whoosh.__file__).parent
    binding = re.compile(r"^(from pickle import .*\bloads?\b|import pickle\b)", re.MULTILINE)
    unpickling = {str(path.relative_to(package)) for path in package.rglob("*.py")
                  if binding.search(path.read_text(encoding="utf-8"))}
    restricted = {"index.py", "filedb/structfile.py", "codec/whoosh3.py", "columns.py", "formats.py"}
    assert unpickling - NOT_READING_A_PRESSE_INDEX == restricted
    assert whoosh.columns.loads is safe_unpickle.restricted_loads
    assert whoosh.filedb.structfile.load is safe_unpickle.restricted_load


def test_folders_others_can_write_are_named(tmp_path):
    folder = tmp_path / "index"
    folder.mkdir()
    folder.chmod(0o755)
    assert foreign_writers([folder]) == []
    folder.chmod(0o775)
    assert foreign_writers([folder]) == [
        f"{folder} can be changed by others (group {folder.stat().st_gid} can write to it): whoever can write there "
        "can plant files every presse process reads. Make it writable by presse's user only."]
    folder.chmod(0o757)
    assert foreign_writers([folder], uid=os.geteuid() + 1) == [
        f"{folder} can be changed by others (it belongs to uid {os.geteuid()}, presse runs as uid "
        f"{os.geteuid() + 1}; everyone can write to it): whoever can write there can plant files every presse "
        "process reads. Make it writable by presse's user only."]


def test_info_warns_when_others_can_write_the_live_generation(settings):
    build_index(settings)
    generation = live_generation(settings.index)
    assert generation is not None
    settings.index.chmod(0o755)
    generation.chmod(0o777)
    result = CliRunner().invoke(cli, ["--corpus", str(settings.corpus), "--index", str(settings.index), "info",
                                      "--json"])
    assert result.exit_code == 0, result.output
    warning = (f"{generation} can be changed by others (group {generation.stat().st_gid} can write to it; everyone "
               "can write to it): whoever can write there can plant files every presse process reads. Make it "
               "writable by presse's user only.")
    assert result.stderr == f"Warning: {warning}\n"
    assert json.loads(result.stdout)["warnings"] == [warning]


def test_a_server_logs_the_warning_once(settings, caplog):
    build_index(settings)
    generation = live_generation(settings.index)
    assert generation is not None
    settings.index.chmod(0o755)
    generation.chmod(0o757)
    live = LiveIndex(settings.index, recheck_seconds=0)
    with caplog.at_level(logging.WARNING, logger="search.store.live_index"):
        for _ in range(3):
            with live.searcher():
                pass
        live.close()
        with live.searcher():  # every thread's searcher opened again
            pass
    live.close()
    warnings = [record.getMessage() for record in caplog.records if record.name == "search.store.live_index"]
    assert warnings == [f"{generation} can be changed by others (everyone can write to it): whoever can write there "
                        "can plant files every presse process reads. Make it writable by presse's user only."]
