"""Absolute links (feeds, OpenSearch, citations): from the configured base URL or a trusted host, never a stranger's.

The Host header is whatever the client sent. Written into a feed, an OpenSearch description or a citation's
permalink, it would let anyone make presse hand out links to their own site (and a cache in front would keep them
for everyone). So a link names a host only when it is known: `PRESSE_BASE_URL`; else the request's host when
`PRESSE_TRUSTED_HOSTS` admits it (Flask refuses other hosts with a 400 before a view runs) or when it is this
machine (`presse serve` listens on 127.0.0.1 by default); else the link is relative to the site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from .engine import get_settings

# What a browser on the serving machine sends. Anyone can send them too, but a link to one leads to no one's site.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})  # as urlsplit names them, lowercase, no brackets


def external_url(endpoint: str, **values: Any) -> str:
    """The URL of `endpoint`, as absolute as can be trusted: see the module's docstring."""
    return absolute(url_for(endpoint, **values))


def absolute(path: str) -> str:
    """`path` (as url_for gives it: site-relative, with the script root) as an address a reader can follow."""
    settings = get_settings()
    if settings.base_url:
        return settings.base_url.rstrip("/") + path.removeprefix(request.script_root)
    # Trusted hosts are checked by Flask before a view runs (create_app set them once).
    if current_app.config["TRUSTED_HOSTS"] or urlsplit("//" + request.host).hostname in LOOPBACK_HOSTS:
        return request.host_url.rstrip("/") + path
    return path
