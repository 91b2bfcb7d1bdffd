"""Writes search/german/data/openthesaurus.txt: OpenThesaurus's synonyms, filtered for press releases, as stems.

Run by hand when OpenThesaurus or the analyzer changes (the file stores stems, so a new stemmer needs a new file):

    apt-get download openthesaurus-de-text && dpkg-deb -x openthesaurus-de-text_*.deb ot
    python -m tools.thesaurus ot/usr/share/openthesaurus-de/openthesaurus.txt /work/shared/data/releases \\
        --source-version "20160424 (Debian-Paket openthesaurus-de-text 20160424-4)"

(Debian's mythes-de holds the same data in OpenOffice's format; this reads the plain text form. Both are LGPL.)

OpenThesaurus groups words by one sense each, but a word stands in the groups of all its senses (Wagen: car, dare;
Zug: train, draught, procession), and most of its 34,000 groups are everyday or literary language. So a pair of
words is kept only when:
- both are single words of the standard register (no derb, veraltet, geh., fig., regional ...) or everyday nouns
  (ugs.: Demo, Knast, Geisterfahrer; people type them, and an everyday verb or adverb is too vague a sense),
- both occur in at least `--min-releases` of the releases (plausible in press releases at all) and the synonym in
  at most `--max-share` of them (a very common synonym is a long posting list read for every search of the word),
- the two occur together in releases clearly more often than chance (`--min-lift`, `--min-together`): press
  releases vary their words ("der Obdachlose ... der Wohnungslose"), so the corpus confirms the sense it uses, and
  rejects the senses it does not (Anzeige → Annonce, Fall → Sturz),
- each word is of the kind the releases use its stem as: a stem is a noun's or another word's (Gewalt or gewaltig,
  Wache or wach), and the releases write nouns with a capital,
- neither is a place name (the releases' index.jsonl locations: Mitte is a district, not a Zentrum) nor may be a
  street or place name by its last word (compounds.may_be_name: -straße, -allee, -platz, -hausen, and Platz
  itself; Käufer is no -ufer), and no stem is shorter than four letters unless an abbreviation (lag: Lage, lagern).
Each word keeps its `--most` best synonyms, most associated first. The defaults were chosen on the development
known-item queries (dev MRR and query time; see the commit that made them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import NamedTuple

from search.german.analysis import german_analyzer, word_spans
from search.german.compounds import may_be_name

OUTPUT = Path(__file__).resolve().parent.parent / "search" / "german" / "data" / "openthesaurus.txt"

# Usage labels (in parentheses after a word) of words that press releases do not use in that sense. The other
# labels (Hauptform, fachspr., Amtsdeutsch, jur., Abkürzung, engl. ...) and grammar hints ("(sich)") are dropped.
REJECTED_LABELS = frozenset({
    "derb", "vulg.", "veraltet", "veraltend", "geh.", "fig.", "abwertend", "scherzhaft", "ironisch",
    "salopp", "regional", "österr.", "schweiz.", "süddt.", "norddeutsch", "bair.", "berlinerisch", "kölsch",
    "ruhrdt.", "rheinisch", "schwäbisch", "westfälisch", "sächsisch", "historisch", "DDR", "lit.", "Spruch",
    "Sprichwort", "sprichwörtlich", "redensartlich", "verhüllend", "selten", "Jargon", "Markenname", "Symbol",
    "Einheitenzeichen", "bildungssprachlich", "floskelhaft", "Verstärkung", "vereinzelt", "Rotwelsch",
    "Soldatensprache", "Gaunersprache", "Jugendsprache", "militärisch", "religiös", "poetisch", "dichterisch",
    "schülersprachlich", "Kindersprache", "kindersprachlich", "Babysprache", "mundartlich", "landschaftlich",
    "altertümlich", "archaisch", "biblisch", "Anglizismus", "Neologismus", "Modewort", "Szene", "Szenejargon",
})
# Everyday words (ugs.) are what people type, and releases use some of them (Demo, Geisterfahrer, Knast): kept
# when they are nouns; everyday adverbs and verbs (halt, eben, ganz) are too vague to confirm a sense.
COLLOQUIAL = "ugs."
_LABELS = re.compile(r"\(([^()]*)\)")
_ONE_WORD = re.compile(r"[^\W\d_]{2,}")
MIN_STEM_CHARS = 4
# A stem whose words the releases write with a capital this often is a noun's, this rarely not a noun's.
NOUN_SHARE = 0.8
NOT_NOUN_SHARE = 0.2


@dataclass(frozen=True)
class Limits:
    """When a pair of OpenThesaurus words is kept (see the module's docstring)."""

    min_releases: int = 5
    max_share: float = 0.05
    min_together: int = 5
    min_lift: float = 3.0
    most: int = 4


class Entry(NamedTuple):
    """One word of an OpenThesaurus group, and whether it is marked as everyday language (ugs.)."""

    word: str
    colloquial: bool = False


def plain_words(line: str) -> list[Entry]:
    """The single words of one OpenThesaurus line ("Automobil;Auto (Hauptform);Pkw;..."), labels stripped; words
    with a rejected label, everyday words but nouns, phrases and abbreviations with digits are left out."""
    words = []
    for entry in line.split(";"):
        labels = {label.strip() for group in _LABELS.findall(entry) for label in group.split(",")}
        word = _LABELS.sub(" ", entry).strip()
        colloquial = COLLOQUIAL in labels
        if labels & REJECTED_LABELS or (colloquial and not word[:1].isupper()):
            continue
        if _ONE_WORD.fullmatch(word):
            words.append(Entry(word, colloquial))
    return words


def read_groups(lines: Iterable[str]) -> Iterator[list[Entry]]:
    """Each OpenThesaurus group with at least two plain words."""
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        words = plain_words(line.strip())
        if len(words) >= 2:
            yield words


# What a word of a group is, which decides the stems whose sense it can be (Counts.fits).
NOUN, OTHER, COLLOQUIAL_NOUN = "noun", "other", "colloquial noun"


def stem_groups(groups: Iterable[list[Entry]], names: set[str]) -> list[dict[str, str]]:
    """Each group as its words' stems, each with what its word is (NOUN, OTHER, COLLOQUIAL_NOUN), groups of one
    stem dropped. Left out: place names (`names`, stems), words that `may_be_name`, and stems shorter than
    `MIN_STEM_CHARS` unless the word is an abbreviation in capitals (BAB, BKA): short stems stand for many words
    (lag: Lage, lagern)."""
    analyzer = german_analyzer()
    stemmed = []
    for entries in groups:
        stems: dict[str, str] = {}
        for word, colloquial in entries:
            tokens = [token.text for token in analyzer(word)]
            if len(tokens) != 1 or tokens[0] in names or may_be_name(word):
                continue
            if len(tokens[0]) >= MIN_STEM_CHARS or word.isupper():
                kind = (COLLOQUIAL_NOUN if colloquial else NOUN) if word[0].isupper() else OTHER
                stems.setdefault(tokens[0], kind)
        if len(stems) >= 2:
            stemmed.append(stems)
    return stemmed


def place_names(releases: Path) -> set[str]:
    """The stems of the places the releases' index.jsonl names ("location": Frankfurt am Main, Neukölln), if there
    is one. (The places presse reads from datelines are too rough for this: many are a headline's first word.)"""
    listing = releases / "index.jsonl"
    if not listing.exists():
        return set()
    analyzer = german_analyzer()
    places = {json.loads(line).get("location") or "" for line in listing.read_text(encoding="utf-8").splitlines()}
    return {token.text for place in places for token in analyzer(place)}


@dataclass
class Counts:
    """What the releases say about some stems: in which releases each occurs, and how often as a noun."""

    total: int = 0
    holding: dict[str, set[int]] = field(default_factory=dict)
    occurrences: dict[str, int] = field(default_factory=dict)
    capitalised: dict[str, int] = field(default_factory=dict)

    def releases(self, stem: str) -> set[int]:
        return self.holding.get(stem, set())

    def fits(self, stem: str, kind: str) -> bool:
        """Whether a group's word of this `kind` can be the sense the releases use `stem` in. A stem may be a noun's
        or an adjective's or verb's (Gewalt or gewaltig, Wache or wach); nouns are written with a capital, so a
        stem the releases capitalise in between the two shares is both (der Betrunkene, betrunken; every word
        starting a sentence is capitalised too). An everyday noun must be the only kind (Kleines is a baby, but
        klein is mostly an adjective)."""
        share = self.capitalised.get(stem, 0) / max(1, self.occurrences.get(stem, 0))
        if kind == OTHER:
            return share < NOUN_SHARE
        if kind == NOUN:
            return share > NOT_NOUN_SHARE
        return share >= NOUN_SHARE


def count_releases(releases: Path, stems: set[str]) -> Counts:
    """Which of `stems` each release (*.txt under `releases`) contains, as the index's body field would."""
    analyzer = german_analyzer()

    @cache
    def stem_of(raw: str) -> str | None:
        tokens = [token.text for token in analyzer(raw)]
        return tokens[0] if len(tokens) == 1 and tokens[0] in stems else None

    counts = Counts()
    for number, path in enumerate(sorted(releases.glob("*.txt")), start=1):
        counts.total = number
        for match in word_spans(path.read_text(encoding="utf-8")):
            raw = match.group()
            stem = stem_of(raw)
            if stem is None:
                continue
            counts.holding.setdefault(stem, set()).add(number)
            counts.occurrences[stem] = counts.occurrences.get(stem, 0) + 1
            if raw[0].isupper():
                counts.capitalised[stem] = counts.capitalised.get(stem, 0) + 1
    return counts


def choose_synonyms(groups: list[dict[str, str]], counts: Counts, limits: Limits) -> dict[str, list[str]]:
    """Stem → its kept synonyms, most associated first (lift: how much more often than chance they meet).

    A group counts for a stem only where both words are of the kind the releases use them as (Gewalt is a noun
    there, so the group of gewaltig, heftig does not make heftig a synonym of Gewalt)."""
    candidates: dict[str, set[str]] = {}
    for group in groups:
        fitting = [stem for stem, kind in group.items() if counts.fits(stem, kind)]
        for stem in fitting:
            candidates.setdefault(stem, set()).update(other for other in fitting if other != stem)
    chosen: dict[str, list[str]] = {}
    for stem in sorted(candidates):
        own = counts.releases(stem)
        if len(own) < limits.min_releases:
            continue
        scored = []
        for other in candidates[stem]:
            theirs = counts.releases(other)
            if not limits.min_releases <= len(theirs) <= limits.max_share * counts.total:
                continue
            together = len(own & theirs)
            lift = together * counts.total / (len(own) * len(theirs))
            if together >= limits.min_together and lift >= limits.min_lift:
                scored.append((-lift, other))
        if scored:
            chosen[stem] = [other for _, other in sorted(scored)[:limits.most]]
    return chosen


def render(chosen: dict[str, list[str]], source: Source, limits: Limits, total: int, made: date) -> str:
    """The data file: a header naming the source, its licence and how the file was made, then one line a stem."""
    header = f"""\
# Synonyme aus OpenThesaurus (https://www.openthesaurus.de), Fassung {source.version},
# Datei openthesaurus.txt mit SHA-256 {source.sha256}.
# Copyright (C) 2003-2014 Daniel Naber und die Mitwirkenden von OpenThesaurus.
# Lizenz: GNU Lesser General Public License, Version 2.1 oder später (LGPL-2.1-or-later), Text in
# openthesaurus.LICENSE. Diese Datei ist eine veränderte Fassung (gefiltert und auf Stämme gebracht am
# {made.isoformat()}) und steht unter derselben Lizenz.
# Erzeugt mit tools/thesaurus.py (dort steht, wie man sie neu erzeugt) über {total} Pressemitteilungen:
# Wörter in >= {limits.min_releases} Mitteilungen, ein Synonym in <= {limits.max_share:.0%} davon,
# beide gemeinsam in >= {limits.min_together} Mitteilungen und >= {limits.min_lift:g}-mal so oft wie zufällig,
# höchstens {limits.most} Synonyme je Wort.
# Format: je Zeile ein Stamm, ein Tabulator, die Stämme seiner Synonyme durch Kommas getrennt, das stärkste zuerst.
"""
    return header + "".join(f"{stem}\t{','.join(others)}\n" for stem, others in chosen.items())


@dataclass(frozen=True)
class Source:
    """The OpenThesaurus file read: its version (as its packager names it) and checksum."""

    version: str
    sha256: str


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.thesaurus", description=__doc__.split("\n\n")[0])
    parser.add_argument("thesaurus", type=Path, help="OpenThesaurus in its text form (openthesaurus.txt)")
    parser.add_argument("releases", type=Path, help="a folder of releases (*.txt) to confirm the senses with")
    parser.add_argument("--source-version", required=True, help="OpenThesaurus's version, written into the header")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    defaults = Limits()
    for name in ("min_releases", "max_share", "min_together", "min_lift", "most"):
        value = getattr(defaults, name)
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)
    options = parser.parse_args(argv)
    limits = Limits(options.min_releases, options.max_share, options.min_together, options.min_lift, options.most)
    data = options.thesaurus.read_bytes()
    source = Source(options.source_version, hashlib.sha256(data).hexdigest())
    groups = stem_groups(read_groups(data.decode("utf-8").splitlines()), place_names(options.releases))
    counts = count_releases(options.releases, {stem for group in groups for stem in group})
    chosen = choose_synonyms(groups, counts, limits)
    text = render(chosen, source, limits, counts.total, date.today())
    options.output.write_text(text, encoding="utf-8")
    pairs = sum(map(len, chosen.values()))
    print(f"{len(groups)} groups, {len(chosen)} words with {pairs} synonyms -> {options.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
