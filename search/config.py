"""Settings: the paths and limits that vary between runs, read from arguments and PRESSE_* variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path

ENV_PREFIX = "PRESSE_"

# One help line per setting; the README's configuration table must list each of them (tests/test_meta.py).
SETTING_HELP = {
    "corpus": "Folder holding the release files (searched recursively).",
    "index": "Folder holding the index generations.",
    "page_size": "Hits per result page.",
    "max_page": "Deepest result page that can be requested.",
    "max_query_chars": "Longer queries are cut to this many characters.",
    "max_query_terms": "Words beyond this many are ignored.",
    "lock_timeout": "Seconds a writer waits for the index lock before giving up.",
    "search_seconds": "A search stops after this many seconds and shows the hits found so far.",
}


@dataclass(frozen=True)
class Settings:
    corpus: Path = Path("corpus")
    index: Path = Path("index")
    page_size: int = 10
    max_page: int = 100
    max_query_chars: int = 300
    max_query_terms: int = 16
    lock_timeout: float = 10.0
    search_seconds: float = 0.5

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides: object) -> Settings:
        """Defaults, overridden by PRESSE_* variables, overridden by explicit keyword arguments."""
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = environ.get(ENV_PREFIX + field.name.upper())
            if raw is None or raw == "":
                continue
            values[field.name] = _convert(field.name, raw, type(getattr(cls, field.name)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = replace(cls(), **values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.page_size < 1 or self.max_page < 1 or self.max_query_chars < 1 or self.max_query_terms < 1:
            raise ValueError("page_size, max_page, max_query_chars and max_query_terms must be at least 1")
        if self.lock_timeout < 0:
            raise ValueError("lock_timeout must not be negative")
        if self.search_seconds <= 0:
            raise ValueError("search_seconds must be positive")


def _convert(name: str, raw: str, kind: type) -> object:
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
