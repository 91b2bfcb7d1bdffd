"""Reading input and corpus files: regular files only, never more than the size limit, never waiting on a pipe.

A regression here hangs instead of failing, so the CLI runs in a child process with a time-out.
"""

import io
import os
import subprocess
import sys

import pytest

from search.errors import ReleaseError
from search.ingest.file_bytes import MAX_RELEASE_BYTES, read_file_bytes, read_stream_bytes
from search.ingest.inputs import iter_inputs
from search.store.indexer import build_index
from tests.conftest import USABLE_FIXTURES

# Seconds a child may take; today's failures never end (a FIFO) or take as long as the memory lasts (/dev/zero).
CHILD_SECONDS = 60
PIPE_REASON = "not a regular file (a named pipe); only regular files are read"
RELEASE = " date 2024-05-06 Zebrastreifen erneuert\n\nDie Stadt hat den Zebrastreifen erneuert.\n\nQuelle: Stadt\n"


def presse(settings, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from search.cli import main; main()",
               "--corpus", str(settings.corpus), "--index", str(settings.index), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=CHILD_SECONDS, stdin=subprocess.DEVNULL)


@pytest.fixture
def clean_settings(settings):
    """The fixture corpus without its empty file, so that a skip can only be the one a test makes."""
    (settings.corpus / "leer.txt").unlink()
    return settings


def test_rebuild_skips_a_fifo_in_the_corpus(clean_settings):
    fifo = clean_settings.corpus / "pipe.txt"
    os.mkfifo(fifo)
    result = presse(clean_settings, "rebuild")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert f"skipped {clean_settings.corpus.resolve() / 'pipe.txt'}: {PIPE_REASON}" in lines
    assert lines[-1].startswith(f"Indexed {USABLE_FIXTURES} releases in ")
    assert lines[-1].endswith("; duplicates 0, skipped 1 files.")


def test_sync_skips_a_fifo_in_the_corpus(clean_settings):
    build_index(clean_settings)
    os.mkfifo(clean_settings.corpus / "pipe.txt")
    result = presse(clean_settings, "sync")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0] == f"skipped {clean_settings.corpus.resolve() / 'pipe.txt'}: {PIPE_REASON}"


def test_add_skips_a_fifo_in_a_given_folder_and_adds_the_rest(clean_settings, tmp_path):
    build_index(clean_settings)
    folder = tmp_path / "eingang"
    folder.mkdir()
    (folder / "gut.txt").write_text(RELEASE, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    result = presse(clean_settings, "add", str(folder))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"added {folder / 'gut.txt'} as ")
    assert lines[1] == f"skipped {folder / 'pipe.txt'}: {PIPE_REASON}"


def test_add_refuses_a_device_instead_of_reading_it_forever(clean_settings):
    build_index(clean_settings)
    result = presse(clean_settings, "add", "/dev/zero")
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines()[0] == (
        "skipped /dev/zero: not a regular file (a character device); only regular files are read"
    )


def test_a_fifo_given_by_name_is_refused_without_opening_it(tmp_path):
    os.mkfifo(tmp_path / "pipe.eml")
    items = list(iter_inputs([str(tmp_path / "pipe.eml")]))
    assert [(item.path.name, item.reason) for item in items] == [("pipe.eml", PIPE_REASON)]


class EndlessStream(io.RawIOBase):
    """Standard input that never ends, and remembers how much was asked of it."""

    def __init__(self) -> None:
        self.asked: list[int] = []

    def read(self, size: int = -1) -> bytes:
        assert size >= 0, "an endless stream must be read with a limit"
        self.asked.append(size)
        return b"a" * size


def test_standard_input_is_read_to_the_limit_and_one_byte_more():
    stream = EndlessStream()
    items = list(iter_inputs(["-"], stdin=stream))
    assert [(str(item.path), item.reason) for item in items] == [("-", "larger than 5 MiB")]
    assert stream.asked == [MAX_RELEASE_BYTES + 1]


def test_standard_input_within_the_limit_is_read_whole():
    assert read_stream_bytes(io.BytesIO(b"x" * MAX_RELEASE_BYTES), "-") == b"x" * MAX_RELEASE_BYTES


def test_a_regular_file_over_the_limit_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (MAX_RELEASE_BYTES + 1))
    with pytest.raises(ReleaseError, match=r"^big.txt: larger than 5 MiB$"):
        read_file_bytes(big, "big.txt")
