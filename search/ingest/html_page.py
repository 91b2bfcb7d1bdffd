"""Turning one HTML page into a Release: title, date and body text without scripts, navigation or footer."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import date

from bs4 import (
    BeautifulSoup,
    Comment,
    Declaration,
    Doctype,
    NavigableString,
    PageElement,
    ProcessingInstruction,
    Tag,
)

from ..errors import ReleaseError
from ..german.dates import find_german_date, is_date_line, parse_date
from ..german.text import normalize_text
from ..release import Release
from .corpus_file import fit_release

# Elements that never hold text of the release.
_NON_TEXT_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "button", "select", "input",
                  "textarea", "object", "embed", "canvas", "audio", "video", "map", "title"]
# The page's chrome; `header` only outside an article (an article's own header holds its title and lead).
_CHROME_TAGS = ["nav", "footer", "aside", "form", "dialog", "menu"]
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog", "menu"}
# Words in an id or class that mark chrome: cookie banners, share buttons, breadcrumbs, related-links boxes.
_CHROME_HINT = re.compile(
    r"(?<![a-z])(cookie|consent|gdpr|dsgvo|banner|share|sharing|social|teilen|breadcrumb|nav|menu|footer|sidebar"
    r"|related|weitere-(?:meldungen|artikel|nachrichten|themen)|mehr-zum-thema|newsletter|skip|pagination|toolbar|print|advert|werbung)",
    re.I,
)
_SHARE_LINK = re.compile(
    r"facebook\.com/sharer|twitter\.com/intent|x\.com/intent|linkedin\.com/share|xing\.com/spi/shares|wa\.me/"
    r"|whatsapp:|mailto:\?",
    re.I,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# A box of links (at least this many, their text nearly all of its text) is a link list, not the release.
_LINK_LIST_MIN_LINKS = 3
_LINK_LIST_SHARE = 0.9
_BLOCK_TAGS = {"address", "article", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "h1", "h2",
               "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tr",
               "ul"}
_SOURCE_LINE = re.compile(r"^Quelle:\s*(.+)$")
# The last line of an ots release on its portal: "Original-Content von: <issuer>, übermittelt durch news aktuell".
_OTS_ORIGIN = re.compile(r"^Original-Content von:\s*(.+?),\s*übermittelt durch news aktuell\s*$")


@dataclass(frozen=True)
class HtmlPage:
    """What a page says about its release; `title` is "" when the page names none."""

    title: str
    paragraphs: tuple[str, ...]
    date: date | None = None
    source: str = ""
    url: str = ""


def parse_html_release(raw: str, release_id: str, *, label: str = "", origin: str = "") -> Release:
    """The release on an HTML page, fitted by the rules every input follows (corpus_file.fit_release).

    `label` names the page in errors (the id when not given); `origin` is the file the page was imported from.
    """
    label = label or release_id
    page = extract_html_page(raw)
    if not page.paragraphs:
        raise ReleaseError(f"{label}: the HTML page has no text")
    release = fit_release(label, page.title, list(page.paragraphs), published=page.date, source=page.source,
                          url=page.url, origin=origin)
    return replace(release, id=release_id)


def html_charset(data: bytes) -> str | None:
    """The charset a page declares in a `<meta>` near its start, or None."""
    match = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I)
    return match.group(1).decode("ascii") if match else None


def extract_html_page(raw: str) -> HtmlPage:
    """The release on an HTML page: its title, date, issuer, address and paragraphs, without the page's chrome."""
    soup = BeautifulSoup(raw, "html.parser")
    for node in soup.find_all(string=lambda s: isinstance(s, (Comment, Declaration, Doctype, ProcessingInstruction))):
        node.extract()
    title = _title(soup)
    published = _published(soup)
    url = _meta(soup, "og:url") or _link(soup, "canonical")
    author = _meta(soup, "author")

    _drop_chrome(soup)
    for tag in soup.find_all("h1"):
        tag.decompose()  # the headline is the title, not a body paragraph
    paragraphs = _paragraphs(_content_root(soup))
    date_lines = [p for p in paragraphs if is_date_line(p)]
    paragraphs = [p for p in paragraphs if not is_date_line(p)]
    source, paragraphs = _take_source(paragraphs)
    source = source or author
    # The headline or the issuer's name repeated as a line of its own is page furniture, not text.
    furniture = {title.casefold(), source.casefold(), source.removesuffix(" (ots)").casefold()}
    paragraphs = [p for p in paragraphs if p.casefold() not in furniture]
    if published is None:
        published = find_german_date(" ".join(date_lines)) or find_german_date("\n".join(paragraphs))
    return HtmlPage(
        title=title,
        paragraphs=tuple(paragraphs),
        date=published,
        source=source,
        url=url if re.match(r"https?://\S+\Z", url) else "",
    )


def _title(soup: BeautifulSoup) -> str:
    title = _meta(soup, "og:title") or _text_of(soup.find("h1"))
    if not title and soup.title:
        title = _text_of(soup.title).split(" | ")[0]  # "Headline | Site name"
    return normalize_text(" ".join(title.split()))


def _published(soup: BeautifulSoup) -> date | None:
    for value in (_meta(soup, "article:published_time"), _meta(soup, "date"), _meta(soup, "dc.date"),
                  _json_ld_date(soup)):
        if value and (published := parse_date(value)):
            return published
    time_tag = soup.find("time", attrs={"datetime": True})
    return parse_date(str(time_tag["datetime"])) if time_tag else None


def _json_ld_date(soup: BeautifulSoup) -> str:
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, RecursionError):
            continue  # a broken (or absurdly nested) JSON-LD block only costs us its date
        items = data if isinstance(data, list) else data.get("@graph", [data]) if isinstance(data, dict) else []
        for item in items:
            if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
                return item["datePublished"]
    return ""


def _drop_chrome(soup: BeautifulSoup) -> None:
    for tag in soup(_NON_TEXT_TAGS):
        tag.decompose()
    for link in soup.find_all("a", href=_SHARE_LINK):
        link.decompose()
    stats = _subtree_stats(soup)
    stack: list[Tag] = [soup]
    while stack:  # a chrome element is dropped whole, and nothing inside it is looked at
        tag = stack.pop()
        # A wrapper flagged by a careless name (a whole-page <form>, "content-with-sidebar") is kept.
        if (tag is not soup and tag.name not in ("html", "body", "main", "article")
                and _is_chrome(tag, stats[id(tag)]) and not stats[id(tag)].holds_content):
            tag.decompose()
        else:
            stack.extend(child for child in tag.contents if isinstance(child, Tag))


@dataclass
class _Stats:
    """Counts over a tag's subtree, gathered in one walk: asking each tag's subtree costs quadratic time."""

    chars: int = 0
    link_chars: int = 0
    links: int = 0
    holds_content: bool = False  # an <article>, <main>, role="main" or <h1> inside


def _subtree_stats(root: Tag) -> dict[int, _Stats]:
    stats: dict[int, _Stats] = {}
    stack: list[tuple[Tag, bool]] = [(root, False)]
    while stack:
        tag, children_done = stack.pop()
        if not children_done:
            stack.append((tag, True))
            stack.extend((child, False) for child in tag.contents if isinstance(child, Tag))
            continue
        total = _Stats()
        for child in tag.contents:
            if isinstance(child, Tag):
                counts = stats[id(child)]
                total.chars += counts.chars
                total.link_chars += counts.link_chars
                total.links += counts.links
                total.holds_content |= counts.holds_content or child.name in ("article", "main", "h1") or (
                    child.get("role") == "main")
            elif isinstance(child, NavigableString):
                total.chars += len(child.strip())
        if tag.name == "a":
            total.links, total.link_chars = total.links + 1, total.chars
        stats[id(tag)] = total
    return stats


def _is_chrome(tag: Tag, stats: _Stats) -> bool:
    if tag.name in _CHROME_TAGS or (tag.name == "header" and not tag.find_parent(["article", "main"])):
        return True
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true" or _HIDDEN_STYLE.search(_attribute(tag, "style")):
        return True
    if _attribute(tag, "role").lower() in _CHROME_ROLES:
        return True
    marker = " ".join([_attribute(tag, "id"), _attribute(tag, "class")])
    return bool(_CHROME_HINT.search(marker)) or _is_link_list(tag, stats)


def _attribute(tag: Tag, name: str) -> str:
    """The attribute's value, "" when absent; bs4 gives the words of a list-valued one (class) as a list."""
    value = tag.get(name)
    if value is None:
        return ""
    return value if isinstance(value, str) else " ".join(value)


def _is_link_list(tag: Tag, stats: _Stats) -> bool:
    return (tag.name in ("ul", "ol", "div", "section") and stats.links >= _LINK_LIST_MIN_LINKS
            and stats.link_chars >= _LINK_LIST_SHARE * stats.chars > 0)


def _content_root(soup: BeautifulSoup) -> Tag:
    articles = soup.find_all("article")
    if articles:
        return max(articles, key=lambda a: len(a.get_text(" ", strip=True)))
    return soup.find("main") or soup.find(role="main") or soup.body or soup


def _paragraphs(root: Tag) -> list[str]:
    """The root's text split into paragraphs where the page breaks blocks (or has two line breaks in a row)."""
    blocks = re.split(r"\n[ \t]*\n", _text_with_breaks(root))
    paragraphs = [normalize_text(" ".join(block.split())) for block in blocks]
    return [p for p in paragraphs if re.search(r"\w", p)]


def _text_with_breaks(root: Tag) -> str:
    """The root's text with its own white space collapsed, "\n\n" around blocks, "\n" for <br> and " " after cells.

    One walk over the tree with an explicit stack: editing the tree instead costs quadratic time in bs4.
    """
    parts: list[str] = []
    stack: list[PageElement | _Break] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, _Break):
            parts.append(node.text)
        elif isinstance(node, NavigableString):
            parts.append(re.sub(r"\s+", " ", str(node)))
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
                continue
            block = node.name in _BLOCK_TAGS
            if block or node.name in ("td", "th"):
                stack.append(_Break("\n\n" if block else " "))
            stack.extend(reversed(node.contents))
            if block:
                parts.append("\n\n")
    return "".join(parts)


@dataclass(frozen=True)
class _Break:
    text: str


def _take_source(paragraphs: list[str]) -> tuple[str, list[str]]:
    """A last `Quelle: …` paragraph, or an ots portal's `Original-Content von: …` line, names the issuer."""
    if paragraphs and (match := _SOURCE_LINE.match(paragraphs[-1])):
        return match.group(1).strip(), paragraphs[:-1]
    if paragraphs and (match := _OTS_ORIGIN.match(paragraphs[-1])):
        return f"{match.group(1).strip()} (ots)", paragraphs[:-1]
    return "", paragraphs


def _meta(soup: BeautifulSoup, prop: str) -> str:
    tag = soup.find("meta", attrs={"property": prop}) or soup.find("meta", attrs={"name": prop})
    return " ".join(str(tag.get("content") or "").split()) if tag else ""


def _link(soup: BeautifulSoup, rel: str) -> str:
    tag = soup.find("link", rel=rel, href=True)
    return str(tag["href"]).strip() if tag else ""


def _text_of(tag: Tag | None) -> str:
    return " ".join(tag.get_text(" ").split()) if tag else ""
