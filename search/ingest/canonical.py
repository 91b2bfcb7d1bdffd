"""The corpus's canonical text form of a release (the sample's shape) and the name of its file."""

from __future__ import annotations

import hashlib

from ..release import METADATA_KEYS, Release

# Metadata lines after `Quelle:`, in this order: Release field → key.
_KEYS_BY_FIELD = {field: key for key, field in METADATA_KEYS.items()}


def format_release(release: Release, headline: bool) -> str:
    """` date YYYY-MM-DD ` + headline (when the title is one) + paragraphs + `Quelle:` + `Key: value` lines."""
    title = " ".join(release.title.split())
    paragraphs = [" ".join(p.split()) for p in release.paragraphs]
    blocks = ([title] if headline else []) + paragraphs
    prefix = f" date {release.date.isoformat()} " if release.date else ""
    tail = [f"Quelle: {' '.join(release.source.split())}"] if release.source else []
    for field, key in _KEYS_BY_FIELD.items():
        value = " ".join(str(getattr(release, field)).split())
        if value:
            tail.append(f"{key}: {value}")
    text = prefix + "\n\n".join(blocks)
    return text + ("\n\n" + "\n".join(tail) if tail else "") + "\n"


def body_hash(release: Release) -> str:
    """SHA-256 of the release's text, as hex: the same body gives the same hash, whatever its file or metadata."""
    return hashlib.sha256("\n\n".join(" ".join(p.split()) for p in release.paragraphs).encode("utf-8")).hexdigest()


def release_file_name(number: int, digest: str) -> str:
    """`<number>_<16 hex of the body's SHA-256>.txt`, like the sample's name."""
    return f"{number:05d}_{digest[:16]}.txt"
