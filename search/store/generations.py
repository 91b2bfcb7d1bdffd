"""Index generations on disk: the pointer to the live one, publishing a finished build, cleaning up leftovers.

Layout of the index folder: `CURRENT` names the live generation `gen-*`; builds happen in `build-*` folders and are
renamed to `gen-*` only when complete; `CURRENT` is replaced atomically, so readers see the old generation or the
new one, never a partial build. The generation replaced last is kept for readers that still have it open.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path

from .atomic import fsync_path, write_atomically

POINTER_NAME = "CURRENT"
META_NAME = "presse.json"
BUILD_PREFIX = "build-"
GENERATION_PREFIX = "gen-"


def live_generation(index_root: Path) -> Path | None:
    """The folder of the live generation, or None when nothing has been published."""
    try:
        name = (index_root / POINTER_NAME).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    folder = index_root / name
    return folder if name.startswith(GENERATION_PREFIX) and folder.is_dir() else None


def pointer_stamp(index_root: Path) -> tuple[int, int] | None:
    """A cheap fingerprint of the pointer file that changes whenever a generation is published."""
    try:
        stat = (index_root / POINTER_NAME).stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns)


def new_build_folder(index_root: Path) -> Path:
    index_root.mkdir(parents=True, exist_ok=True)
    folder = index_root / f"{BUILD_PREFIX}{_stamp()}"
    folder.mkdir()
    return folder


def read_meta(generation: Path) -> dict:
    try:
        return json.loads((generation / META_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return {}


def publish(index_root: Path, build: Path, meta: dict) -> Path:
    """Stamp `build` with `meta`, make it the live generation, and remove generations no reader needs."""
    write_atomically(build / META_NAME, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    # Whoosh never fsyncs; make the finished build durable before anything points at it.
    for file in build.iterdir():
        fsync_path(file)
    generation = index_root / (GENERATION_PREFIX + build.name.removeprefix(BUILD_PREFIX))
    build.rename(generation)
    write_atomically(index_root / POINTER_NAME, generation.name + "\n")
    remove_leftovers(index_root)
    return generation


def remove_leftovers(index_root: Path) -> list[Path]:
    """Delete build folders and old generations; call only while holding the write lock.

    The live generation stays, and so does the newest other one: a reader may still be answering from it.
    """
    live = live_generation(index_root)
    generations = sorted(f for f in index_root.glob(GENERATION_PREFIX + "*") if f.is_dir() and f != live)
    keep = {live, *generations[-1:]}
    removed = []
    for folder in sorted(index_root.glob("*")):
        if folder in keep or not folder.is_dir():
            continue
        if folder.name.startswith((BUILD_PREFIX, GENERATION_PREFIX)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    for tmp in index_root.glob(f".{POINTER_NAME}.*.tmp"):
        tmp.unlink(missing_ok=True)
    return removed


def remove_stale_builds(index_root: Path) -> list[Path]:
    """Delete the `build-*` folders of killed rebuilds; call only while holding the write lock.

    Every build runs under that lock, so a build folder seen while holding it belongs to no running build. The
    generations stay: a reader may still be answering from the previous one, and `rebuild` tidies those.
    """
    stale = sorted(folder for folder in index_root.glob(BUILD_PREFIX + "*") if folder.is_dir())
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def remove_partial_files(generation: Path) -> list[Path]:
    """Delete the temporary files a killed writer left in `generation` (an atomic write's, a segment's postings on
    their way in: `.<name>.<...>.tmp`); call only while holding the write lock, under which every writer works.

    Whoosh removes a killed commit's own files at the next commit; these it does not know."""
    partial = sorted(path for path in generation.glob(".*.tmp") if path.is_file())
    for path in partial:
        path.unlink(missing_ok=True)
    return partial


def _stamp() -> str:
    # Sortable to the nanosecond, so "the newest other generation" is well defined even within one second.
    now = time.time_ns()
    return time.strftime("%Y%m%dT%H%M%S", time.gmtime(now // 10**9)) + f"{now % 10**9:09d}-{secrets.token_hex(2)}"
