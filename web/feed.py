"""The XML documents: a search as an Atom feed and the OpenSearch description, built with ElementTree."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from xml.etree import ElementTree as ET

from markupsafe import Markup

from search import ResultPage

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
# A feed reader wants the newest releases, not an archive.
FEED_ENTRIES = 20
SITE_NAME = "Pressemitteilungen durchsuchen"
# A summary is the lead: whole sentences from the start of the text, up to about this many characters.
LEAD_CHARS = 300
# A sentence ends at . ! or ? before a space and a capital, an opening quote or a digit (not after an abbreviation).
_SENTENCE_END = re.compile(r"[.!?…]\s+(?=[A-ZÄÖÜ„\"0-9])")
_ABBREVIATIONS = frozenset({"z", "b", "d", "h", "u", "a", "s", "ca", "bzw", "dr", "nr", "str", "vgl", "ggf", "usw",
                            "inkl", "evtl", "tel", "abs", "prof", "st", "geb", "min", "std", "mio", "mrd"})


def atom_feed(result: ResultPage, title: str, self_url: str, page_url: str, release_url: Callable[[str], str],
              original_link: Callable[[str], tuple[str, str] | None], leads: Mapping[str, str]) -> bytes:
    """The hits of `result` (newest first) as an Atom 1.0 document; ElementTree escapes every text.

    An entry links its release page and, as `related`, the published original with its label (`original_link`).
    Its summary is its lead from `leads` (release id → lead_text); without one, the snippet's plain text.
    """
    # Plain names under a default xmlns: readers expect <feed xmlns="…">, not an ns0: prefix.
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "de"})
    _text(feed, "id", self_url)
    _text(feed, "title", title)
    dated = [hit.date for hit in result.hits if hit.date]
    # Without a dated entry there is no better "last changed" than now.
    updated = _timestamp(max(dated)) if dated else datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    _text(feed, "updated", updated)
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = ET.SubElement(feed, "author")
    _text(author, "name", SITE_NAME)
    _text(feed, "generator", "presse")
    for hit in result.hits:
        entry = ET.SubElement(feed, "entry")
        permalink = release_url(hit.id)
        _text(entry, "id", permalink)
        _text(entry, "title", hit.title)
        _text(entry, "updated", _timestamp(hit.date) if hit.date else updated)
        if hit.date:
            _text(entry, "published", _timestamp(hit.date))
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=permalink)
        if original := original_link(hit.url):
            ET.SubElement(entry, "link", rel="related", type="text/html", href=original[0], title=original[1])
        if hit.source:
            _text(ET.SubElement(entry, "author"), "name", hit.source)
        # The engine's snippet is HTML (escaped text with <mark>s) and starts wherever the words are: a reader of
        # the feed gets the release's first sentences instead.
        lead = leads.get(hit.id) or Markup(hit.snippet).striptags()
        summary = _text(entry, "summary", lead)
        summary.set("type", "text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def lead_text(paragraphs: list[str], limit: int = LEAD_CHARS) -> str:
    """The first sentences of `paragraphs`, whole, up to `limit` characters; one longer sentence is cut at a word
    and ends with "…"."""
    # Only the opening paragraphs can hold the lead: a release of megabytes is not joined whole for 300 characters.
    opening, size = [], 0
    for paragraph in paragraphs:
        opening.append(paragraph)
        size += len(paragraph)
        if size > 2 * limit:
            break
    text = " ".join(" ".join(opening).split())
    if len(text) <= limit:
        return text
    ends = [match.start() + 1 for match in _SENTENCE_END.finditer(text, 0, limit + 1)
            if not _is_abbreviation(text, match.start())]
    if ends:
        return text[:ends[-1]]
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > 0 else limit].rstrip(" ,;:-") + " …"


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the period at `dot` ends an abbreviation ("z. B.", "Nr.", "Dr.") or an ordinal ("am 20. September")
    rather than a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"(\w+)$", text[:dot])
    return word is not None and (word.group(1).isdigit() or word.group(1).lower() in _ABBREVIATIONS)


def opensearch_description(search_template: str, feed_template: str, self_url: str) -> bytes:
    """An OpenSearch 1.1 description so that browsers can offer presse as a search engine."""
    root = ET.Element("OpenSearchDescription", xmlns=OPENSEARCH)
    _text(root, "ShortName", "Pressemeldungen")  # at most 16 characters
    _text(root, "Description", "Volltextsuche in deutschen Pressemitteilungen")
    _text(root, "InputEncoding", "UTF-8")
    _text(root, "Language", "de")
    for kind, template, rel in [
        ("text/html", search_template, "results"),
        ("application/atom+xml", feed_template, "results"),
        ("application/opensearchdescription+xml", self_url, "self"),
    ]:
        ET.SubElement(root, "Url", type=kind, method="get", rel=rel, template=template)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, name: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, name)
    element.text = text
    return element


def _timestamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"
