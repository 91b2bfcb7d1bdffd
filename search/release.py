"""The Release value: one press release as the library passes it around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from .german.release_codes import split_title_code


@dataclass(frozen=True)
class Release:
    id: str
    title: str
    text: str
    date: date | None = None
    source: str = ""
    place: str = ""
    url: str = ""
    # The file name the release was imported from, and the id of the release this one is a version of.
    origin: str = ""
    version_of: str = ""
    # The `Sperrfrist:` line as written ("12.05.2025, 10:00 Uhr"); an embargo in the text counts too (see
    # ingest/corpus_file.release_embargo).
    embargo: str = ""
    # False when the title was derived from the lead's first sentence: then it is shown, but not searched as a
    # title (it would count the lead's words twice, and three times as much as the text; see issue 4's notes).
    headline: bool = True

    @property
    def code(self) -> str:
        """The ots code or release number the title begins with (`POL-F: 090928 - 1226`), "" without one."""
        return split_title_code(self.title).code

    @property
    def shown_title(self) -> str:
        """The title as pages show it: see shown_title()."""
        return shown_title(self.title, self.place)

    @property
    def original_url(self) -> str:
        """The published original (`URL:`) when it is an absolute http(s) address, else ""."""
        return original_url(self.url)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def to_json(self) -> dict:
        """The release as the CLI's `show --json` and the web's /api/release print it."""
        return {
            "id": self.id,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "source": self.source,
            "place": self.place,
            "code": self.code,
            "url": self.original_url,
            "text": self.text,
        }


def shown_title(title: str, place: str) -> str:
    """The title without the code it begins with, and without the place after the code when that is the release's
    place (shown beside it): `POL-F: 090928 - 1226 Frankfurt-Bornheim: Taschendieb gefasst` → `Taschendieb gefasst`.
    """
    split = split_title_code(title)
    if not split.code:
        return title
    headline = split.headline
    if place and headline.startswith(place + ":") and headline[len(place) + 1:].strip():
        return headline[len(place) + 1:].strip()
    return headline


def original_url(url: str) -> str:
    """`url` when it is an absolute http(s) address, so a `javascript:` or relative one never becomes a link."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # `http://[::1` and the like
        return ""
    return url if parts.scheme in {"http", "https"} and host else ""


def original_host(url: str) -> str:
    """The host an original link names (`presseportal.de` for `https://www.presseportal.de/…`), "" for none."""
    host = urlsplit(original_url(url)).hostname or ""
    return host.removeprefix("www.")
