"""Turning any supported input file (.txt, .md, .html, .eml, or standard input) into a Release.

The Release is what the corpus file `format_release` writes for it will read back as: paragraphs on one line each,
and the title and `headline` that corpus_file.fit_title settles.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath

import yaml
from frontmatter.default_handlers import YAMLHandler

from ..errors import ReleaseError
from ..german.dates import parse_date
from ..release import Release
from .corpus_file import derive_title, fit_release, read_text_form, split_paragraphs
from .decoding import decode_release_bytes
from .email_message import read_mail
from .html_page import extract_html_page, html_charset, parse_html_release
from .inputs import STDIN_NAME
from .markdown import markdown_to_text

_KINDS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
          ".eml": "email"}
# Front matter: a YAML mapping between `---` lines at the very start of the file, read with YAML's safe loader.
_YAML = YAMLHandler()
_FRONT_MATTER_KEYS = {"title": "title", "titel": "title", "date": "date", "datum": "date", "source": "source",
                      "quelle": "source", "url": "url", "place": "place", "ort": "place"}
# "WG: ", "Fwd: ", "AW: " before the subject of a forwarded press release.
_REPLY_PREFIX = re.compile(r"\A(?:(?:Fwd?|WG|AW|Re)\s*:\s*)+", re.I)
# E-mail headers at the start of standard input: what `presse add - < message.eml` looks like.
_MAIL_HEADER = re.compile(r"^(?:From|Subject|Date|Message-ID|To|Received|Return-Path|MIME-Version|Delivered-To"
                          r"|Reply-To|Content-Type|X-[\w-]+):", re.I)


@dataclass(frozen=True)
class Imported:
    """An imported release (its id still "", for the caller to assign) and whether its title is a headline."""

    release: Release
    headline: bool


def import_release(data: bytes, name: str) -> Imported:
    """The release in one input file; `name` is its path (the suffix says its type) or "-" for standard input.

    Raises ReleaseError `<file name>: <reason>` when the file cannot be used.
    """
    label = _clean_name(PurePath(name).name or name)
    origin = "" if name == STDIN_NAME else label
    if name == STDIN_NAME:
        text = decode_release_bytes(data, label)
        sniffed = _sniff(text)
        if sniffed == "email":
            return _from_mail(data, label, origin)
        return _from_html(text, label, origin) if sniffed == "html" else _from_text(text, label, origin, False)
    suffix = PurePath(name).suffix.lower()
    if suffix == ".pdf":
        raise ReleaseError(f"{label}: PDF is not supported (yet)")
    kind = _KINDS.get(suffix)
    if kind is None:
        supported = ", ".join(_KINDS)
        raise ReleaseError(f"{label}: unsupported file type {suffix or '(no suffix)'} (supported: {supported})")
    if kind == "email":
        return _from_mail(data, label, origin)
    text = decode_release_bytes(data, label, charset=html_charset(data) if kind == "html" else None)
    if kind == "html" or (kind == "text" and re.match(r"\s*<(!doctype html|html)\b", text, re.I)):
        return _from_html(text, label, origin)
    return _from_text(text, label, origin, markdown=kind == "markdown")


def _from_text(text: str, label: str, origin: str, markdown: bool) -> Imported:
    meta, body = _split_front_matter(text, label)
    title = meta.get("title", "")
    if markdown:
        body, heading = markdown_to_text(body)
        if heading and heading != title:
            body = f"{heading}\n\n{body}" if title else body
            title = title or heading
    if not body.strip():
        raise ReleaseError(f"{label}: the release has no text")
    if title:
        return _imported(fit_release(label, title, split_paragraphs(body), published=meta.get("date"),
                                     source=meta.get("source", ""), place=meta.get("place", ""),
                                     url=meta.get("url", ""), origin=origin))
    # The sample's shape, or plain text: the corpus file format decides between headline and lead.
    form = read_text_form(body, label)
    # A headline that only repeats the lead's first sentence counts as none (the title is derived again).
    headline = form.headline if form.headline != derive_title(form.paragraphs[0]) else ""
    return _imported(fit_release(
        label,
        headline,
        form.paragraphs,
        published=meta.get("date") or form.date,
        source=meta.get("source") or form.source,
        place=meta.get("place") or form.metadata.get("place", ""),
        url=meta.get("url") or form.metadata.get("url", ""),
        origin=form.metadata.get("origin") or origin,
        version_of=form.metadata.get("version_of", ""),
        embargo=form.metadata.get("embargo", ""),
    ))


def _from_html(text: str, label: str, origin: str) -> Imported:
    return _imported(parse_html_release(text, "", label=label, origin=origin))


def _from_mail(data: bytes, label: str, origin: str) -> Imported:
    mail = read_mail(data, label)
    if mail.is_html:
        page = extract_html_page(mail.body)
        paragraphs, title, url = list(page.paragraphs), mail.subject or page.title, page.url
        source = page.source or mail.sender
    else:
        paragraphs, title, url, source = split_paragraphs(mail.body), mail.subject, "", mail.sender
    title = _REPLY_PREFIX.sub("", title)
    if not paragraphs:
        raise ReleaseError(f"{label}: the e-mail has no text")
    return _imported(fit_release(label, title, paragraphs, published=mail.date, source=source, url=url,
                                 origin=origin))


def _imported(release: Release) -> Imported:
    return Imported(release, release.headline)


def _split_front_matter(text: str, label: str) -> tuple[dict, str]:
    """The front matter's title, date, source, place and url (other keys are ignored), and the text after it.

    Raises ReleaseError when a `---` block at the start is YAML that cannot be read.
    """
    start = text.lstrip(" \t\n")
    if not _YAML.detect(start):
        return {}, text
    try:
        block, body = _YAML.split(start)
    except ValueError:
        return {}, text  # no closing `---`: a rule in Markdown, not front matter
    try:
        data = _YAML.load(block)
    except ValueError as error:  # YAML reads 2025-02-30 as a date, and the calendar refuses it
        raise ReleaseError(f"{label}: invalid date in the front matter ({error})") from None
    except yaml.YAMLError as error:
        raise ReleaseError(f"{label}: the front matter is not valid YAML ({_yaml_problem(error)})") from None
    if not isinstance(data, dict):
        return {}, text  # `---` around text that is not `key: value` lines: Markdown rules, not front matter
    meta: dict = {}
    for key, value in data.items():
        field = _FRONT_MATTER_KEYS.get(key.lower()) if isinstance(key, str) else None
        if field and value is not None and value != "":
            meta[field] = _front_matter_value(field, value, key, label)
    return meta, body


def _front_matter_value(field: str, value: object, key: str, label: str) -> str | date:
    """YAML reads `2025-09-11` as a date, `2025` as a number and `yes` as a boolean; a field takes each as text."""
    if isinstance(value, (list, dict)):
        raise ReleaseError(f"{label}: the front matter's {key!r} is a list, not a single value")
    if field != "date":
        return str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, datetime):
        return value.date()  # the date as written, in the time zone it was written in
    if isinstance(value, date):
        return value
    published = parse_date(str(value))
    if published is None:
        raise ReleaseError(f"{label}: invalid date {str(value)!r} in the front matter")
    return published


def _yaml_problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        return f"{error.problem} in line {error.problem_mark.line + 1}"  # the block starts on the `---` line
    return str(error)


def _sniff(text: str) -> str:
    """What standard input holds: HTML when it starts with `<`, an e-mail when it starts with mail headers."""
    if text.lstrip().startswith("<"):
        return "html"
    lines = text.lstrip("\n").split("\n")
    if lines and lines[0].startswith("From "):
        lines = lines[1:]  # an mbox separator line
    header_block = lines[: lines.index("")] if "" in lines else lines
    if header_block and _MAIL_HEADER.match(header_block[0]) and all(
        re.match(r"^[\w-]+:", line) or line[:1] in (" ", "\t") for line in header_block
    ):
        return "email"
    return "text"


def _clean_name(name: str) -> str:
    """A file name fit for a message and the `Datei:` line: its undecodable bytes read as Windows-1252, NFC."""
    raw = name.encode("utf-8", "surrogateescape")
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = raw.decode("cp1252", "replace")
    return unicodedata.normalize("NFC", re.sub(r"[\x00-\x1f\x7f]", "?", name))
