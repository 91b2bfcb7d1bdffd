"""The Release value: one press release as the library passes it around."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
            "text": self.text,
        }
