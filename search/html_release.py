"""Turning one HTML page into a Release: title, date and body text without scripts, navigation or footer."""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup

from .errors import ReleaseError
from .release import Release, derive_title
from .text import normalize_text

# Elements whose text is never part of the release.
_BOILERPLATE_TAGS = ["script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form",
                     "button", "iframe", "svg"]
_BOILERPLATE_HINT = re.compile(r"cookie|consent|banner|share|social|breadcrumb|navigation|menu|footer", re.I)
_BLOCK_TAGS = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td", "th", "dd", "dt"]
_GERMAN_MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_WORDED_DATE = re.compile(r"\b(\d{1,2})\.\s?(" + "|".join(_GERMAN_MONTHS) + r")\s+(\d{4})\b", re.I)
_SOURCE_LINE = re.compile(r"^Quelle:\s*(.+)$")


def parse_html_release(raw: str, release_id: str) -> Release:
    """Parse an HTML page holding one press release."""
    soup = BeautifulSoup(raw, "html.parser")
    title = _meta(soup, "og:title") or _text_of(soup.find("h1")) or _text_of(soup.find("title"))
    published = _iso_day(_meta(soup, "article:published_time"))
    if published is None:
        time_tag = soup.find("time", attrs={"datetime": True})
        published = _iso_day(str(time_tag["datetime"])) if time_tag else None

    for tag in soup(_BOILERPLATE_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.attrs is None:
            continue
        marker = " ".join([tag.get("id") or "", " ".join(tag.get("class") or []), tag.get("role") or ""])
        if tag.name not in ("html", "body", "main", "article") and _BOILERPLATE_HINT.search(marker):
            tag.decompose()
    for tag in soup.find_all("h1"):
        tag.decompose()  # the headline is the title, not a body paragraph

    root = soup.find("article") or soup.find("main") or soup.body or soup
    paragraphs = _paragraphs(root)
    source = ""
    if paragraphs and (match := _SOURCE_LINE.match(paragraphs[-1])):
        source = match.group(1).strip()
        paragraphs = paragraphs[:-1]
    if not paragraphs:
        raise ReleaseError(f"{release_id}: the HTML page has no text")
    body = "\n\n".join(paragraphs)
    if published is None:
        published = _german_date(body)
    title = normalize_text(" ".join((title or "").split())) or derive_title(paragraphs[0])
    return Release(id=release_id, title=title, text=body, date=published, source=source)


def _paragraphs(root) -> list[str]:
    blocks = root.find_all(_BLOCK_TAGS)
    if blocks:
        texts = [b.get_text(" ") for b in blocks if not b.find(_BLOCK_TAGS)]
    else:
        texts = root.get_text("\n").split("\n\n")
    paragraphs = [normalize_text(" ".join(t.split())) for t in texts]
    return [p for p in paragraphs if p]


def _meta(soup, prop: str) -> str:
    tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    return str(tag.get("content") or "").strip() if tag else ""


def _text_of(tag) -> str:
    return " ".join(tag.get_text(" ").split()) if tag else ""


def _iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10]) if value else None
    except ValueError:
        return None


def _german_date(text: str) -> date | None:
    """The first German date in the text: `11.09.2025` or `11. September 2025`."""
    candidates = []
    for match in _NUMERIC_DATE.finditer(text):
        candidates.append((match.start(), int(match.group(3)), int(match.group(2)), int(match.group(1))))
    for match in _WORDED_DATE.finditer(text):
        month = _GERMAN_MONTHS[match.group(2).lower()]
        candidates.append((match.start(), int(match.group(3)), month, int(match.group(1))))
    for _, year, month, day in sorted(candidates):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return None
