"""The corpus file format (the sample's shape): reading its text into a Release, and writing a Release as that text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from ..errors import ReleaseError
from ..german.embargo import Embargo, embargo_line, find_embargoes, latest_embargo
from ..german.release_codes import split_title_code
from ..german.text import normalize_text
from ..release import Release

# A headline is one line no longer than this; the longest published title in the shared corpus has 214 characters,
# while a lead paragraph (the sample's has 261) is usually longer.
MAX_HEADLINE_CHARS = 240
# A title derived from the lead's first sentence is cut at a word boundary near this length.
DERIVED_TITLE_CHARS = 120

_DATE_PREFIX = re.compile(r"\A\s*date (\d{4}-\d{2}-\d{2})[ \t]*")
_SOURCE_LINE = re.compile(r"^Quelle:[ \t]*(.+?)[ \t]*$")
# Further metadata written by `presse add` as `Key: value` lines after the `Quelle:` line: key → Release field.
METADATA_KEYS = {"URL": "url", "Ort": "place", "Datei": "origin", "Fassung von": "version_of", "Sperrfrist": "embargo"}
_METADATA_LINE = re.compile(r"^(" + "|".join(METADATA_KEYS) + r"):[ \t]*(.+?)[ \t]*$")
# "Frankfurt (ots) - ", "Bad Homburg v.d.H. (ots) – ": the dateline of an ots release.
_OTS_DATELINE = re.compile(r"\A([A-ZÄÖÜ][\w.\-/ ]{1,60}?)\s*\(ots\)\s*[-–—]\s*")
# The end of a sentence: punctuation followed by a space and a capital letter, a digit or a quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ0-9„\"'»])")
# Abbreviations whose period does not end a sentence.
_ABBREVIATIONS = ("z.B.", "u.a.", "bzw.", "ca.", "Nr.", "Str.", "Dr.", "Prof.", "St.", "d.h.", "v.a.", "gem.", "inkl.")


# ---- reading ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TextForm:
    """What a corpus file states, before anything is derived: `headline` is "" when the file has no headline line."""

    headline: str
    paragraphs: list[str]
    date: date | None
    source: str
    metadata: dict[str, str]  # Release field → value, from the `Key: value` lines


def read_text_form(raw: str, release_id: str) -> TextForm:
    """Split a release in the sample's shape, ` date YYYY-MM-DD ` lead, paragraphs, `Quelle: <issuer>`, into parts."""
    published, text = take_date_prefix(normalize_text(raw), release_id)
    paragraphs = split_paragraphs(text)
    source = ""
    metadata: dict[str, str] = {}
    if paragraphs:
        source, metadata, rest = _take_source_block(paragraphs[-1])
        paragraphs = paragraphs[:-1] + ([rest] if rest else [])
    if not paragraphs:
        raise ReleaseError(f"{release_id}: the release has no text")
    if is_headline(paragraphs[0], len(paragraphs)):
        return TextForm(paragraphs[0], paragraphs[1:], published, source, metadata)
    return TextForm("", paragraphs, published, source, metadata)


def parse_text_release(raw: str, release_id: str) -> Release:
    """Parse a release in the sample's shape; without a headline line, the title is derived from the lead."""
    form = read_text_form(raw, release_id)
    title = form.headline or derive_title(form.paragraphs[0])
    metadata = dict(form.metadata)
    release = Release(
        id=release_id,
        title=title,
        headline=bool(form.headline),
        text="\n\n".join(form.paragraphs),
        date=form.date,
        source=form.source,
        place=metadata.pop("place", "") or infer_place(title, form.paragraphs),
        **metadata,
    )
    release_embargo(release)  # an embargo that cannot be read keeps the file out of the index
    return release


def release_embargo(release: Release, label: str = "") -> Embargo | None:
    """The embargo the release states, in its `Sperrfrist:` line or at the start of a line of its title or text:
    the one that ends last. Raises ReleaseError when one cannot be read, so that the release is skipped (and the
    operator told) rather than published before its time."""
    stated = [embargo_line(release.embargo)] if release.embargo else []
    found = latest_embargo([e for e in stated if e] + find_embargoes(release.title + "\n" + release.text))
    if found is not None and found.until is None:
        raise ReleaseError(f"{label or release.id}: the embargo „{found.notice}“ has no date and time presse can read; "
                           "write it as „Sperrfrist: 12.05.2025, 10:00 Uhr“ (Berlin time), or „Sperrfrist: keine“")
    return found


def is_headline(paragraph: str, paragraph_count: int) -> bool:
    """Whether a file's first paragraph is read as its headline: one short line, and not the whole release."""
    return paragraph_count > 1 and "\n" not in paragraph and len(paragraph) <= MAX_HEADLINE_CHARS


def take_date_prefix(text: str, release_id: str) -> tuple[date | None, str]:
    """The date of a ` date YYYY-MM-DD ` prefix (None without one) and the text after it."""
    match = _DATE_PREFIX.match(text)
    if not match:
        return None, text
    return _parse_iso_date(match.group(1), release_id), text[match.end():]


def _take_source_block(paragraph: str) -> tuple[str, dict[str, str], str]:
    """Split the last paragraph into issuer, metadata and the text before them.

    Metadata lines count when they follow a `Quelle:` line, or when they make up the whole paragraph (a release
    without an issuer, as `presse add` writes it).
    """
    lines = paragraph.split("\n")
    end = len(lines)
    found: list[re.Match[str]] = []  # the metadata lines, last first
    while end > 0 and (line_match := _METADATA_LINE.match(lines[end - 1])):
        found.append(line_match)
        end -= 1
    source_match = _SOURCE_LINE.match(lines[end - 1]) if end > 0 else None
    if not source_match and end > 0:
        return "", {}, paragraph
    metadata: dict[str, str] = {}
    for line_match in reversed(found):
        key, value = line_match.groups()
        metadata[METADATA_KEYS[key]] = value
    source = source_match.group(1) if source_match else ""
    return source, metadata, "\n".join(lines[: max(end - 1, 0)]).strip()


def derive_title(lead: str) -> str:
    """The lead's first sentence, cut at a word boundary when it is long."""
    lead = _OTS_DATELINE.sub("", " ".join(lead.split()))
    sentence = _first_sentence(lead)
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, DERIVED_TITLE_CHARS)
    return sentence[: cut if cut > 0 else DERIVED_TITLE_CHARS].rstrip(" ,;:-–") + " …"


def _first_sentence(text: str) -> str:
    for match in _SENTENCE_END.finditer(text):
        end = match.start()
        # "am 6. September" and "z.B." do not end a sentence. Only the last four characters are looked at (and
        # nothing is copied) so that a huge lead full of dates costs linear time.
        if not text.endswith(_ABBREVIATIONS, 0, end) and not re.search(r"\b\d{1,2}\.$", text[max(0, end - 4):end]):
            return text[:end]
    return text


def infer_place(title: str, body: list[str]) -> str:
    """The place a release names: the ots dateline of its first paragraph, else a `Place: ` before its headline."""
    match = _OTS_DATELINE.match(body[0]) if body else None
    return match.group(1).strip() if match else _place_from_title(title)


def _place_from_title(title: str) -> str:
    """`Frankfurt-Niederursel: Verkehrsunfallflucht` names its place before the colon, as ots headlines do."""
    title = split_title_code(title).headline
    match = re.match(r"\A([A-ZÄÖÜ][\w.\-/ ]{1,40}?):\s", title)
    return match.group(1) if match and len(match.group(1).split()) <= 4 else ""


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of `text`: blocks between blank lines, stripped, empty ones left out."""
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


def _parse_iso_date(value: str, release_id: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ReleaseError(f"{release_id}: invalid date {value!r} in the first line") from None


# ---- writing ----------------------------------------------------------------------------------------------------


def fit_release(label: str, title: str, paragraphs: list[str], *, published: date | None = None, source: str = "",
                place: str = "", url: str = "", origin: str = "", version_of: str = "", embargo: str = "") -> Release:
    """The Release (id "") in the form its corpus file will be read back in: one line per paragraph, the issuer of a
    closing `Quelle:` line, a ` date ` prefix taken as the date, the title and headline of fit_title, the place.

    Raises ReleaseError `<label>: the release has no text` when nothing but metadata is left, and when it states an
    embargo that cannot be read (see release_embargo).
    """
    stated_source, paragraphs = _take_source_line(paragraphs)
    paragraphs = [p for p in (_one_line(p) for p in paragraphs) if re.search(r"\w", p)]
    if paragraphs and not stated_source and (match := _SOURCE_LINE.match(paragraphs[-1])):
        stated_source, paragraphs = match.group(1), paragraphs[:-1]
    title = _one_line(title)
    if published is None:
        # Text that starts like the sample, ` date YYYY-MM-DD `, is read back with that date: it is the date.
        if title:
            published, title = take_date_prefix(title, label)
        elif paragraphs:
            published, first = take_date_prefix(paragraphs[0], label)
            paragraphs = ([first] if first else []) + paragraphs[1:]
    if not paragraphs:
        raise ReleaseError(f"{label}: the release has no text")
    title, headline = fit_title(title, paragraphs)
    release = Release(
        id="",
        title=title,
        headline=headline,
        text="\n\n".join(paragraphs),
        date=published,
        source=_one_line(stated_source or source),
        place=_one_line(place) or infer_place(title, paragraphs),
        url=_one_line(url),
        origin=_one_line(origin),
        version_of=_one_line(version_of),
        embargo=_one_line(embargo),
    )
    release_embargo(release, label)  # skipped with the reason before it is written, as `rebuild` would skip it
    return release


def _take_source_line(paragraphs: list[str]) -> tuple[str, list[str]]:
    """A `Quelle: …` line ending the text names the issuer, over any the file's metadata names."""
    if not paragraphs:
        return "", paragraphs
    lines = paragraphs[-1].rstrip().split("\n")
    match = _SOURCE_LINE.match(lines[-1].strip())
    if not match:
        return "", paragraphs
    rest = "\n".join(lines[:-1]).strip()
    return match.group(1), paragraphs[:-1] + ([rest] if rest else [])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def fit_title(title: str, paragraphs: list[str]) -> tuple[str, bool]:
    """The title a file of these one-line paragraphs is read back with, and whether it must be written as a headline.

    A title is cut to fit a headline line; without one, the title is derived from the lead, and it is still written
    as a headline when the first paragraph would otherwise be read back as the headline (see is_headline).
    """
    title = _cut_title(title)
    if title:
        return title, True
    return derive_title(paragraphs[0]), is_headline(paragraphs[0], len(paragraphs))


def _cut_title(title: str) -> str:
    if len(title) <= MAX_HEADLINE_CHARS:
        return title
    limit = MAX_HEADLINE_CHARS - len(" …")
    cut = title.rfind(" ", 0, limit + 1)
    return title[: cut if cut > 0 else limit].rstrip(" ,;:-–") + " …"


def format_release(release: Release, headline: bool) -> str:
    """` date YYYY-MM-DD ` + headline (when the title is one) + paragraphs + `Quelle:` + `Key: value` lines."""
    title = " ".join(release.title.split())
    paragraphs = [" ".join(p.split()) for p in release.paragraphs]
    blocks = ([title] if headline else []) + paragraphs
    prefix = f" date {release.date.isoformat()} " if release.date else ""
    tail = [f"Quelle: {' '.join(release.source.split())}"] if release.source else []
    for key, field in METADATA_KEYS.items():
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
