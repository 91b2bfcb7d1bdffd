"""Finding release files under the corpus folder and reading each one into a Release."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from ..errors import ReleaseError
from ..release import Release
from .corpus_file import body_hash, parse_text_release
from .decoding import decode_release_bytes
from .file_bytes import irregular_kind, not_regular_reason, read_file_bytes
from .html_page import html_charset, parse_html_release

TEXT_SUFFIXES = {".txt"}
HTML_SUFFIXES = {".html", ".htm"}
RELEASE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
LINK_OUTSIDE = "symbolic link leading outside the corpus folder, not followed"


@dataclass(frozen=True)
class Skipped:
    path: Path
    reason: str

    @classmethod
    def from_error(cls, path: Path, error: ReleaseError) -> Skipped:
        """The reason is the error's message without its leading `<file name>: ` or `<release id>: `."""
        message = str(error)
        for prefix in (f"{display_path(path.name)}: ", f"{path.name}: ", f"{path.stem}: "):
            message = message.removeprefix(prefix)
        return cls(path, message)


@dataclass(frozen=True)
class Duplicate:
    """A corpus file not indexed because the release is indexed already: a link to its file, or the same text."""

    path: Path
    reason: str  # "same text as <id>" or "symbolic link to <path>, indexed as <id>"


def iter_release_files(corpus: Path) -> Iterator[Path]:
    """Release files under `corpus` in a stable order; hidden files and symbolic links not followed are left out."""
    return (Path(item.path) for item in _walk_corpus(corpus) if isinstance(item, os.DirEntry))


def _walk_corpus(corpus: Path) -> Iterator[os.DirEntry[str] | Skipped | Duplicate]:
    """Release files under `corpus` in a stable order, and the symbolic links the walk does not follow, with why.

    A link leading outside the corpus is not followed (a corpus folder must not expose files from elsewhere on the
    server); a link to a folder inside it would only name its files a second time. The files come as the DirEntry
    objects of os.scandir, which know whether they are links without asking the disk again (a sync of the full
    corpus spent most of its time in per-file stat calls and Path objects).
    """
    if not corpus.is_dir():
        raise ReleaseError(f"Corpus folder {corpus} does not exist. Create it or pass --corpus.")
    root = corpus.resolve()
    yield from _walk_folder(root, str(root))


def _walk_folder(root: Path, folder: str) -> Iterator[os.DirEntry[str] | Skipped | Duplicate]:
    """One folder as os.walk(followlinks=False) sees it: its links to folders, its files by name, then its
    subfolders by name, each walked the same way; a folder that cannot be listed is passed over, as os.walk does."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    dirs: list[os.DirEntry[str]] = []
    files: list[os.DirEntry[str]] = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    dirs = sorted((entry for entry in dirs if not entry.name.startswith(".")), key=lambda entry: entry.name)
    for entry in dirs:
        if entry.is_symlink():  # os.walk would not enter it either; saying so beats a silent gap
            link = Path(entry.path)
            target = link.resolve()
            if target.is_relative_to(root):
                yield Duplicate(link, f"symbolic link to the folder {target.relative_to(root).as_posix() or '.'}, "
                                      "whose files are indexed from there")
            else:
                yield Skipped(link, LINK_OUTSIDE)
    for entry in sorted(files, key=lambda entry: entry.name):
        name = entry.name
        # name[rfind:] is the suffix (or, without a dot, the last character): cheaper than a Path or splitext per file
        if name.startswith(".") or name[name.rfind("."):].lower() not in RELEASE_SUFFIXES:
            continue
        if entry.is_symlink() and not Path(entry.path).resolve().is_relative_to(root):
            yield Skipped(Path(entry.path), LINK_OUTSIDE)
            continue
        yield entry
    for entry in dirs:
        if not entry.is_symlink():
            yield from _walk_folder(root, entry.path)


def release_id_for(path: Path) -> str:
    """The id of a release is its file name without the extension, in NFC.

    Raises ReleaseError for a name that cannot be an id: not valid UTF-8, or with control characters.
    """
    return release_id_from_name(path.name)


def release_id_from_name(name: str) -> str:
    """release_id_for a file name."""
    dot = name.rfind(".")
    stem = name[:dot] if 0 < dot < len(name) - 1 else name  # as Path.stem has it
    if stem.isascii() and stem.isprintable():  # nearly every name, and already valid UTF-8 in NFC
        return stem
    try:
        stem.encode("utf-8")
    except UnicodeEncodeError:
        raise ReleaseError(f"{display_path(name)}: the file name is not valid UTF-8; rename the file") from None
    if _CONTROL_CHARS.search(stem):
        raise ReleaseError(f"{display_path(name)}: the file name contains control characters; rename the file")
    return unicodedata.normalize("NFC", stem)


def display_path(path: Path | str) -> str:
    """`path` as printable text: undecodable bytes as \\x escapes, control characters as `?`."""
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL_CHARS.sub("?", text)


class CorpusFile(NamedTuple):
    """A release file found under the corpus folder, with the size and mtime it had when it was found."""

    id: str
    location: str  # the full path; `path` makes the Path only for a caller that reads the file
    relative: str  # the path relative to the corpus folder, with forward slashes
    stamp: str  # as file_stamp gives it

    @property
    def path(self) -> Path:
        return Path(self.location)


def iter_corpus_files(corpus: Path) -> Iterator[CorpusFile | Skipped | Duplicate]:
    """Each release file under `corpus` once.

    Skipped for an unusable name, an id seen before, what is not a regular file (a pipe would block the reader) or
    a symbolic link leading outside; Duplicate for a symbolic link to a file indexed under its own name or through
    an earlier link, or to a folder inside the corpus. Paths are plain strings until something needs a Path: making
    one per file took a third of an idle sync of the full corpus.
    """
    root = corpus.resolve()
    prefix = len(str(root).rstrip("/")) + 1
    items = list(_walk_corpus(corpus))
    claimed: dict[str, str] | None = None  # made at the first link: most corpus folders have none
    seen: dict[str, str] = {}
    for item in items:
        if not isinstance(item, os.DirEntry):
            yield item
            continue
        try:
            # The one stat of the file (following a link), its stamp kept. Not item.stat(): the DirEntry would keep
            # the result, and 37,651 of them alive at once cost a full garbage collection of the process.
            stat = os.stat(item.path)
        except OSError as error:
            yield Skipped(Path(item.path), f"cannot be read ({error.strerror})")
            continue
        kind = irregular_kind(stat.st_mode)
        if kind:
            yield Skipped(Path(item.path), not_regular_reason(kind))
            continue
        if item.is_symlink():
            if claimed is None:
                # A link's target is the release; the link is its second name. Files claim their own path before
                # any link does.
                claimed = {entry.path: entry.path for entry in items
                           if isinstance(entry, os.DirEntry) and not entry.is_symlink()}
            target = str(Path(item.path).resolve())
            owner = claimed.setdefault(target, item.path)
            if owner != item.path:
                yield Duplicate(Path(item.path), f"symbolic link to {target[prefix:]}, indexed as {owner[prefix:]}")
                continue
        try:
            release_id = release_id_from_name(item.name)
        except ReleaseError as error:
            yield Skipped.from_error(Path(item.path), error)
            continue
        relative = item.path[prefix:]
        if release_id in seen:
            yield Skipped(Path(item.path), f"same id as {seen[release_id]}")
            continue
        seen[release_id] = relative
        yield CorpusFile(release_id, item.path, relative, _stamp(stat))


def read_release(path: Path) -> Release:
    """Read and parse one release file; raises ReleaseError with the reason when it cannot be used."""
    return parse_release_bytes(read_release_bytes(path), path)


def read_release_bytes(path: Path) -> bytes:
    """The bytes of a release file, refused when it is too large to be a release, not a regular file or unreadable."""
    return read_file_bytes(path, path.name)


def parse_release_bytes(data: bytes, path: Path) -> Release:
    """The release in the bytes of the corpus file `path` (its name gives the id and the format)."""
    release_id = release_id_for(path)
    if path.suffix.lower() in HTML_SUFFIXES:
        return parse_html_release(decode_release_bytes(data, path.name, charset=html_charset(data)), release_id)
    return parse_text_release(decode_release_bytes(data, path.name), release_id)


@dataclass(frozen=True)
class CorpusEntry:
    """A release read from the corpus, with what `sync` compares: where the file is, its size and mtime, its hash."""

    release: Release
    path: str  # relative to the corpus folder, with forward slashes
    stamp: str
    file_hash: str


def file_stamp(path: Path) -> str:
    """Size and modification time: when both are unchanged, the file is taken as unchanged without reading it."""
    return _stamp(path.stat())


def _stamp(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def read_entry(corpus_root: Path, path: Path) -> CorpusEntry:
    """Read one corpus file; raises ReleaseError when it cannot be used."""
    try:
        stamp = file_stamp(path)
    except OSError as error:
        raise ReleaseError(f"{path.name}: cannot be read ({error.strerror})") from None
    data = read_release_bytes(path)
    release = parse_release_bytes(data, path)
    return CorpusEntry(release, path.relative_to(corpus_root).as_posix(), stamp, hashlib.sha256(data).hexdigest())


def read_corpus(corpus: Path) -> Iterator[CorpusEntry | Skipped | Duplicate]:
    """Every release under `corpus` once: a Skipped entry says why a file could not be used, a Duplicate which
    release it repeats (the first file with a text is indexed, as `presse add` keeps the release added first)."""
    root = corpus.resolve()
    by_body: dict[str, str] = {}
    for item in iter_corpus_files(corpus):
        if isinstance(item, (Skipped, Duplicate)):
            yield item
            continue
        try:
            entry = read_entry(root, item.path)
        except ReleaseError as error:
            yield Skipped.from_error(item.path, error)
            continue
        first = by_body.setdefault(body_hash(entry.release), entry.release.id)
        yield entry if first == entry.release.id else Duplicate(item.path, f"same text as {first}")
