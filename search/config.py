"""Settings: the paths, limits and ranking weights that vary between runs, from arguments and PRESSE_* variables."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .weights import Weights

ENV_PREFIX = "PRESSE_"

# One help line per setting read from the environment; the README's configuration table must list each of them
# (tests/test_meta.py).
SETTING_HELP = {
    "corpus": "Folder holding the release files (searched recursively).",
    "index": "Folder holding the index generations.",
    "page_size": "Hits per result page.",
    "max_page": "Deepest result page that can be requested.",
    "max_query_chars": "Longer queries are cut to this many characters.",
    "max_query_terms": "Words beyond this many are ignored.",
    "lock_timeout": "Seconds a writer waits for the index lock before giving up.",
    "search_seconds": (
        "Processor time one search may spend over all its steps; then it tries no more corrections or fewer words."
    ),
    "recheck_seconds": "How often each serving process looks for a new commit or rebuild (0: at every request).",
    "queue_seconds": "A request that waited longer than this for a free thread is answered 503 at once.",
    "client_requests": "Requests one client address may have under way in each serving process; more get 429 "
                       "(0: no limit, for a server behind a proxy).",
    "base_url": "The address readers reach presse at (https://presse.example.org): absolute links in feeds, "
                "OpenSearch and citations use it, never the request's Host header.",
    "trusted_hosts": "Host names the server answers to, separated by commas (a leading dot admits subdomains); "
                     "a request for another host is a 400.",
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
    # Looking costs some 25 µs (a stat of the pointer, a listing of the generation): at every request, so that no
    # process answers from an older commit than another one already did and totals never go backwards.
    recheck_seconds: float = 0.0
    queue_seconds: float = 0.3
    client_requests: int = 2
    base_url: str = ""
    trusted_hosts: str = ""
    # The ranking weights: code, not configuration (the tuned defaults; benchmarks pass others), so no variable.
    weights: Weights = field(default=Weights(), metadata={"env": False})
    # The wall clock (seconds since 1970) that decides whether a release's embargo has ended: read once per search
    # or page; tests pass a fixed one.
    clock: Callable[[], float] = field(default=time.time, metadata={"env": False})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ, **overrides: object) -> Settings:
        """Defaults, overridden by PRESSE_* variables, overridden by explicit keyword arguments."""
        # Each value has its own field's type (converted by _convert, or given by the caller): Any, not object,
        # so that dataclasses.replace() takes them.
        values: dict[str, Any] = {}
        for name in env_setting_names():
            raw = environ.get(ENV_PREFIX + name.upper())
            if raw is None or raw == "":
                continue
            values[name] = _convert(name, raw, type(getattr(cls, name)))
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
        if self.recheck_seconds < 0:
            raise ValueError("recheck_seconds must not be negative")
        if self.queue_seconds <= 0:
            raise ValueError("queue_seconds must be positive")
        if self.client_requests < 0:
            raise ValueError("client_requests must not be negative")
        if self.base_url:
            parts = urlsplit(self.base_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
                raise ValueError(f"base_url must be an http(s) address without query, like https://presse.example.org "
                                 f"(got {self.base_url!r})")

    def trusted_host_names(self) -> list[str]:
        """`trusted_hosts` as a list of names, empty when every host is accepted."""
        return [name.strip() for name in self.trusted_hosts.split(",") if name.strip()]


def env_setting_names() -> list[str]:
    """The settings a PRESSE_* variable can set: all but the ranking weights."""
    return [setting.name for setting in fields(Settings) if setting.metadata.get("env", True)]


def _convert(name: str, raw: str, kind: type) -> object:
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r} is not a valid {kind.__name__}") from None
