"""Writes search/german/data/wortformen_lexikon.txt: forms of one word that stemming leaves apart, from simplemma.

simplemma's German dictionary maps about 1.1 million forms to their lemma (überschlug → überschlagen, bestahl →
bestehlen, Praxen → Praxis). Inverted, it gives each lemma's forms; a form the Snowball stemmer already joins with
its lemma adds nothing, so only the others are kept, as stems, one group per line. The search loads the file as
written, without analysing a word (search/query/expansion.py).

Run by hand when simplemma or the rules below change; simplemma is an optional extra, not a dependency of presse:

    pip install -e '.[lexicon]'
    python -m tools.word_forms            # writes the file; --min-zipf and --output to try other sizes
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from search.german.analysis import stem_german
from search.german.stopwords import GERMAN_STOP_WORDS

OUTPUT = Path(__file__).resolve().parents[1] / "search" / "german" / "data" / "wortformen_lexikon.txt"
# Forms rarer than this in wordfreq's German (Zipf scale: 3 is once per million words) are left out: rare forms
# are mostly archaic or poetic (buk, frugen) and each costs memory in every server. The development queries score
# the same from 1.0 to 2.5 (0.9556), so size and coverage decided: 1.5 keeps "bestahl" (1.74) in 184 KB;
# 2.5 writes 58 KB, 1.0 285 KB, 0 (every form) 1.07 MB.
MIN_ZIPF = 1.5
# Another word counts as one that may share a stem with a form when it is at least this common; rarer words
# would make nearly every short stem ambiguous.
MIN_OTHER_ZIPF = 2.5
# A form whose stem is another word's lemma stem is left out unless that word is this much rarer (Zipf: 1 is ten
# times): "gelaufen" stays with laufen although "geläufig" has its stem. 1.5 would lose durchsucht, gesucht,
# gemeldet and a hundred other participles to their adjectives.
OWNER_MARGIN = 1.0
# Lemmas whose stem is also a more common, unrelated word's stem: their forms would be found by that word
# (bergen: "Berg" would find "geborgen"). Found by reading the groups of the most frequent words; the stemmer's
# collisions that the rules below catch by themselves are not repeated here.
UNRELATED_LEMMAS = frozenset({
    "bergen",  # Berg: "geborgen"
    "essen",  # Essen, the city: "isst"
    "fallen",  # Fall: "in diesem Fall" is in thousands of releases
    "fordern",  # Ford
    "gleich", "gleichen",  # gleich (at once): "glich"
    "hängen",  # Hang: "hing"
    "hören",  # Hort (after-school care): "hört"
    "heißen", "heiß",  # heiß: "heißt"
    "kur",  # Kurs
    "laden",  # Laden (a shop): "lud", "geladen"
    "leiden",  # Leid
    "liefern",  # lief (ran): "geliefert"
    "meiden",  # Meide
    "mittel",  # Mittel (means): "mittlere"
    "ost", "osten",  # Ostend, a district of Frankfurt
    "passen",  # Pass (passport): "passt"
    "regen",  # Regen (rain): "regt"
    "reifen", "reif",  # Reifen (tyres): "gereift"
    "ringen",  # Ring
    "rücken",  # Rücken (back)
    "scheiden",  # Scheide
    "schnellen",  # schnell
    "streifen",  # Streife (patrol): "streift"
    "tun",  # Tüte: Tüten and tut share a stem
    "verdienen",  # Verdi, the union
    "wagen",  # Wagen (car): "gewagt"
    "wehren",  # Wehr, the part of Feuerwehr: "gewehrt"
    "weise", "weisen",  # Weise, Wiese
    "zeugen",  # Zeuge (witness): "gezeugt"
})


@dataclass(frozen=True)
class Lexicon:
    """Forms (as written) → lemma, and how common a word is."""

    lemmas: Mapping[str, str]
    zipf: Mapping[str, float]


def word_groups(lexicon: Lexicon, min_zipf: float = MIN_ZIPF) -> list[tuple[str, ...]]:
    """The groups of stems to write: per word, its stem first, then the stems of its forms the stemmer leaves
    apart; sorted by the word's stem."""
    families: dict[str, set[str]] = defaultdict(set)
    lemma_words: dict[str, set[str]] = defaultdict(set)
    for form, lemma in lexicon.lemmas.items():
        if _is_word(form) and _is_word(lemma) and _is_plausible(form, lemma):
            word = _word_of(lemma, lexicon.lemmas)
            families[word].update((form.lower(), lemma.lower()))
            lemma_words[word].add(lemma.lower())
    owners = _stem_owners(lemma_words, lexicon.zipf)
    claims = _form_stems(families, lexicon.zipf, min_zipf)
    claimants: dict[str, set[str]] = defaultdict(set)
    for word, stems in claims.items():
        for stem in stems:
            claimants[stem].add(word)
    groups: dict[str, dict[str, None]] = {}
    for word in families:
        word_stem = stem_german(word)
        if word in GERMAN_STOP_WORDS or word in UNRELATED_LEMMAS or _is_anothers(word_stem, word, owners):
            continue
        kept = [stem for stem, frequency in sorted(claims.get(word, {}).items())
                if _is_only(word, stem, frequency, owners, claimants)]
        if kept:
            groups.setdefault(word_stem, {word_stem: None}).update(dict.fromkeys(kept))
    return [tuple(groups[stem]) for stem in sorted(groups)]


def _form_stems(families: Mapping[str, Iterable[str]], zipf: Mapping[str, float],
                min_zipf: float) -> dict[str, dict[str, float]]:
    """Word → the stems of its forms as common as `min_zipf` other than its own stem, each with its most common
    form's frequency; stop words left out."""
    stems: dict[str, dict[str, float]] = defaultdict(dict)
    for word, forms in families.items():
        for form in forms:
            frequency = zipf.get(form, 0.0)
            stem = stem_german(form)
            if frequency >= min_zipf and form not in GERMAN_STOP_WORDS and stem != stem_german(word):
                stems[word][stem] = max(frequency, stems[word].get(stem, 0.0))
    return stems


def _is_only(word: str, stem: str, frequency: float, owners: Mapping[str, Mapping[str, float]],
             claimants: Mapping[str, set[str]]) -> bool:
    """Whether the form stem `stem` (its most common form `frequency`) belongs to `word` alone: no other word's
    lemma nearly as common has it (stahl is Stahl: same spelling, same frequency; gelaufen is not geläufig, ten
    times rarer), and no other word has a form with it."""
    if any(other != word and other_frequency >= frequency - OWNER_MARGIN
           for other, other_frequency in owners.get(stem, {}).items()):
        return False
    return not claimants.get(stem, set()) - {word}


def _word_of(lemma: str, lemmas: Mapping[str, str]) -> str:
    """The word (lowercase) a lemma belongs to: a participle used as an adjective belongs to its verb (gefunden →
    finden), and so does a noun made of it (Gefundene → gefundene → gefunden → finden). Other nouns stay their own
    word: "Stand" is not "stehen", although "stand" is one of its forms (one step, to a verb, not through an
    adjective)."""
    if lemma[:1].isupper():
        adjective = lemmas.get(lemma.lower())
        if adjective is None or adjective == lemma.lower() or lemmas.get(adjective, adjective) == adjective:
            return lemma.lower()
    word = lemma.lower()
    for _ in range(3):  # gefundenere → gefunden → finden: chains are short
        parent = lemmas.get(word)
        if (parent is None or parent == word or not _is_word(parent) or not parent[:1].islower()
                or not _is_plausible(word, parent)):
            break
        word = parent
    return word.lower()


def _is_plausible(form: str, lemma: str) -> bool:
    """Whether `form` starts as its `lemma` does (after a participle's ge-): simplemma files a few forms under a
    longer verb (brennend → schwarzbrennen, biegen → geradebiegen, gegessen → weiteressen). The few true exceptions
    are mostly stop words (war → sein); besser → gut and aß → essen are lost with them."""
    form, lemma = form.lower().translate(_UMLAUTS), lemma.lower().translate(_UMLAUTS)
    if form.startswith("ge") and not lemma.startswith("ge"):
        form = form[2:]
    return form[:1] == lemma[:1]


_UMLAUTS = str.maketrans("äöü", "aou")


def _is_word(text: str) -> bool:
    """Letters only, more than one of them: no numbers, abbreviations with dots, hyphenated or spaced names."""
    return len(text) > 1 and text.isalpha()


def _stem_owners(lemma_words: Mapping[str, Iterable[str]], zipf: Mapping[str, float]) -> dict[str, dict[str, float]]:
    """Stem → the common words (with their frequency) that have it as the stem of one of their lemmas: a form with
    such a stem belongs to that word as much as to its own (gestanden → stand is Stand, schloss is Schloss)."""
    owners: dict[str, dict[str, float]] = defaultdict(dict)
    for word, lemmas in lemma_words.items():
        for lemma in lemmas:
            frequency = zipf.get(lemma, 0.0)
            if frequency >= MIN_OTHER_ZIPF:
                stem = stem_german(lemma)
                owners[stem][word] = max(frequency, owners[stem].get(word, 0.0))
    return owners


def _is_anothers(stem: str, word: str, owners: Mapping[str, Mapping[str, float]]) -> bool:
    """Whether `stem` (of `word`) is also the stem of a more common word."""
    own = owners.get(stem, {}).get(word, 0.0)
    return any(frequency > own for other, frequency in owners.get(stem, {}).items() if other != word)


def render(groups: Iterable[tuple[str, ...]], source: str, min_zipf: float) -> str:
    """The data file: a header naming the source, its licences and how to regenerate, then one group per line."""
    header = [
        "# Formen desselben Wortes, die die Stammformreduktion nicht zusammenführt, als Stämme (Snowball German,",
        "# wie search/german/analysis.py stem_german): der Stamm des Lemmas zuerst, dann die der anderen Formen,",
        "# durch Leerzeichen getrennt. Die Suche liest die Datei ohne weitere Analyse.",
        "# Generated by tools/word_forms.py, do not edit: add forms to wortformen.txt instead.",
        f"# Source: {source}; forms with a Zipf frequency >= {min_zipf} in German.",
        "# Licence: simplemma's code is MIT; its German data derives from the lemmatization lists of Michal Měchura",
        "# (Open Database License), Wiktionary (kaikki.org, CC BY-SA), FreeLing, spaCy lookups data, UniMorph and",
        "# the Wikinflection corpus (CC BY 4.0), as simplemma's README lists them.",
        "# Regenerate: pip install -e '.[lexicon]' && python -m tools.word_forms",
    ]
    return "\n".join([*header, *(" ".join(group) for group in groups)]) + "\n"


def load_lexicon() -> tuple[Lexicon, str]:
    """simplemma's German dictionary and wordfreq's German frequencies; the source named with its version."""
    from importlib.metadata import version

    from simplemma.strategies.dictionaries.dictionary_factory import DefaultDictionaryFactory
    from wordfreq import zipf_frequency

    lemmas = DefaultDictionaryFactory().get_dictionary("de")
    words = {word.lower() for pair in lemmas.items() for word in pair if _is_word(word)}
    zipf = {word: zipf_frequency(word, "de") for word in words}
    return (Lexicon(dict(lemmas.items()), zipf),
            f"simplemma {version('simplemma')} (German dictionary), wordfreq {version('wordfreq')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-zipf", type=float, default=MIN_ZIPF, help="leave out forms rarer than this")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    options = parser.parse_args(argv)
    lexicon, source = load_lexicon()
    groups = word_groups(lexicon, options.min_zipf)
    options.output.write_text(render(groups, source, options.min_zipf), encoding="utf-8")
    print(f"{options.output}: {len(groups):,} groups, {sum(map(len, groups)):,} stems", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
