"""Splitting German compound words into the known words they are made of: Straßenbahnunfall → straßenbahn, unfall.

The known words and how common they are come from wordfreq's German list (634,502 words from subtitles, news,
Wikipedia and the web), not from the indexed releases: a split then never depends on which releases happen to be
in the index, and adding a release cannot change how earlier ones were analysed.

How a split is chosen (after Koehn and Knight, 2003): of all ways to cut a word into known parts, optionally
with a linking element between them (Handel-s-kammer), take the one whose parts are on average most common, and
keep the word whole when it is more common than that average. Guards against false splits, each checked by the
table in tests/test_compounds.py: parts have at least four letters (so Verein is not ver + ein), no part is a stop
word, a suffix (-schaft, -heit) or too rare to be a real word, and short words are never split.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

import msgpack

from .stopwords import GERMAN_STOP_WORDS

# Below this many letters a word is not split: most such "compounds" are false (Beamte, Verein, Anzeige).
MIN_COMPOUND_CHARS = 8
# Above this many, neither: no German word is that long, but a pasted code or link is (and the search for a split
# grows with the square of the length; 3,000 letters exceeded Python's recursion limit).
MAX_COMPOUND_CHARS = 64
MIN_PART_CHARS = 4
# Common three-letter heads that are split off all the same (Ordnungsamt, Linienbus, Fahrrad).
SHORT_HEADS = frozenset({"amt", "bad", "bau", "bus", "hof", "ort", "rad", "tat", "tür", "weg", "zug", "see", "gas"})
# A part must be at least this common (Zipf scale: 3 = once per million words); rarer "words" are mostly names,
# typos and fragments that would make false splits.
MIN_PART_ZIPF = 2.5
# Fewer, longer parts are preferred: each part beyond two lowers a split's average by this much (Rauschgift +
# Toter, not Rausch + Gift + Toter; Straßenbahn + Unfall, not Straße + Bahn + Unfall).
EXTRA_PART_COST = 0.75
# Linking elements (Fugenelemente) that may join a modifier to the next part, longest first.
LINKS = ("ens", "es", "en", "er", "s", "n", "e", "")
# Word-forming suffixes that happen to be words of their own; never parts.
NOT_PARTS = frozenset({"schaft", "schaften", "heit", "heiten", "keit", "keiten", "ling", "linge", "lich", "lichen",
                       "isch", "ische", "ungen", "chen", "lein", "igen", "iger", "erin", "erinnen", "innen"})
# Words written with a one-letter prefix (U-Bahn, S-Bahn, E-Mail, E-Scooter), which the tokenizer joins into one
# word (ubahn): the letter is split off only before these, because elsewhere a leading letter is part of the word
# (Stier is not S + Tier).
LETTER_PREFIXES = frozenset("eus")
LETTER_HEADS = frozenset({"bahn", "bahnhof", "bahnhöfe", "bahnen", "mail", "mails", "bike", "bikes", "scooter",
                          "scootern", "roller", "auto", "autos", "mobilität", "zigarette", "zigaretten", "rezept"})
# The last words of street and place names that end few other words. A street's (Raumerstraße, Mehringdamm) is its
# only part: Straße finds the Raumerstraße, Raum does not. A place's (Sachsenhausen, Mahlsdorf, Offenbach) is
# none: Hausen, Dorf and Bach are places or words of their own. In the shared releases 1,652 words end in -straße,
# nearly all of them streets; -weg is never split (a stop word).
STREET = "strasse"
STREET_HEADS = frozenset({STREET, "allee", "gasse", "damm", "ufer", "chaussee", "pfad", "promenade", "steig"})
PLACE_HEADS = frozenset({"hausen", "dorf", "felde", "hain", "bach"})
# Last words that end names and common nouns alike (Alexanderplatz and Parkplatz, Taunusring and Schlagring,
# Bockenheim and Pflegeheim): the index keeps their parts (Pflege finds Pflegeheim), but a typed one is searched
# whole (the parts of a name are never what was meant, and those of a noun seldom stand apart in a release).
NAME_OR_NOUN_HEADS = frozenset({"platz", "ring", "brücke", "markt", "heim", "berg", "burg", "hof", "feld", "wald"})
# The feminine endings, also written after a gender mark (Bürger*innen, Bürger:in): analyzer and parser use them.
GENDER_ENDINGS = ("innen", "in")


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    """Word → Zipf frequency, for the 84,074 words common enough to be parts (loaded on first use, once per
    process).

    wordfreq keeps its words in buckets of one centibel, most frequent first: bucket i holds the words of
    frequency 10^(-i/100), i.e. Zipf 9 - i/100 (its cBpack format, see wordfreq.read_cBpack). The buckets are read
    one by one and only down to MIN_PART_ZIPF: wordfreq's own reader unpacks all 634,502 words and keeps them
    cached, which left 70 MB in every serving process (0.21 s and 68 MiB peak before, for the same words).
    """
    # Imported here: wordfreq only says where its list is, and importing it (ftfy, langcodes) took 0.09 s of every
    # command's start, `presse sync` with nothing to do included.
    from wordfreq import available_languages

    frequencies: dict[str, float] = {}
    with gzip.open(available_languages(wordlist="large")["de"], "rb") as packed:
        unpacker = msgpack.Unpacker(packed, raw=False)
        unpacker.read_array_header()
        header = unpacker.unpack()
        if not isinstance(header, dict) or (header.get("format"), header.get("version")) != ("cB", 1):
            raise ValueError(f"wordfreq's German list has an unknown format: {header!r}")
        for bucket in range(round((9 - MIN_PART_ZIPF) * 100) + 1):
            value = 9 - bucket / 100  # one float per bucket, shared by its words
            frequencies.update((word, value) for word in unpacker.unpack() if word.isalpha())
    return frequencies


def load_dictionary() -> int:
    """Load the dictionary now (a server does it once before starting its workers, which then share it); the
    number of words."""
    return len(_frequencies())


def zipf(word: str) -> float:
    """How common `word` is (Zipf scale), 0 when it is unknown or too rare to count."""
    return _frequencies().get(word, 0.0)


def _part_zipf(word: str, head: bool) -> float:
    """The Zipf frequency of `word` as a part of a compound, or 0 when it may not be one."""
    if word in NOT_PARTS or word in GERMAN_STOP_WORDS:
        return 0.0
    if len(word) < MIN_PART_CHARS and not (head and word in SHORT_HEADS):
        return 0.0
    return zipf(word)


@lru_cache(maxsize=200_000)
def split_compound(word: str) -> tuple[str, ...]:
    """The two sides of the best split of `word` (lowercase) as dictionary forms, modifier first; () when it is
    not a compound. Handelskammer → ("handel", "kammer"); a side may be a compound itself (see compound_parts)."""
    word = word.casefold()  # the word list is casefolded: ß is ss there
    if word[:1] in LETTER_PREFIXES and word[1:] in LETTER_HEADS:
        return (word[:1], word[1:])
    if not MIN_COMPOUND_CHARS <= len(word) <= MAX_COMPOUND_CHARS or not word.isalpha():
        return ()
    for ending in GENDER_ENDINGS:  # Lehrerinnen is Lehrer + -innen, not Lehre + Rinnen
        if word.endswith(ending) and zipf(word[: -len(ending)]):
            return split_compound(word[: -len(ending)])
    best = _best(word, head=True)
    if best is None or len(best[1]) < 2:
        return ()
    return best[1]


def _best(word: str, head: bool) -> tuple[float, tuple[str, ...]] | None:
    """(average Zipf of the leaves, the two sides) of the best reading of `word`: whole or cut in two, where the
    head side may be cut again. None when `word` is neither a known word nor made of known words."""
    whole = _part_zipf(word, head)
    best: tuple[float, tuple[str, ...]] | None = (whole, (word,)) if whole else None
    for cut in range(MIN_PART_CHARS, len(word) - 2):
        right = _leaves(word[cut:], head=True)
        if right is None:
            continue
        left = word[:cut]
        for link in LINKS:
            if link and not left.endswith(link):
                continue
            modifier = left[: len(left) - len(link)]
            score = _part_zipf(modifier, head=False)
            if not score:
                continue
            average = (score + sum(right)) / (1 + len(right)) - EXTRA_PART_COST * (len(right) - 1)
            if best is None or average > best[0]:
                best = (average, (modifier, word[cut:]))
    return best


@lru_cache(maxsize=200_000)
def _leaves(word: str, head: bool) -> tuple[float, ...] | None:
    """The Zipf frequencies of the known words of the best reading of `word`, or None."""
    best = _best(word, head) if len(word) >= MIN_PART_CHARS or head else None
    if best is None:
        return None
    if len(best[1]) == 1:
        return (best[0],)
    modifier, rest = best[1]
    return (_part_zipf(modifier, head=False), *(_leaves(rest, head=True) or ()))


def forget_splits() -> None:
    """Empty the caches of splits: a build that has its own cache of the words it split calls this now and then, so
    that its memory does not grow with the corpus."""
    for cached in (split_compound, _leaves, compound_parts):
        cached.cache_clear()


def compound_head(word: str) -> str:
    """The last known word of the compound `word` (Oberbaumbrücke → brücke, casefolded); "" for a word that is not
    a compound."""
    folded = word.casefold()
    # Straße first: the splitter reads some streets with the wrong seam (Seestraße as Sees + Trasse, Hofstraße as
    # Hofs + Trasse; 92 distinct words of the shared releases), which would keep them from being names.
    if folded.endswith(STREET) and len(folded) > len(STREET):
        return STREET
    sides = split_compound(folded)
    return (compound_head(sides[1]) or sides[1]) if sides else ""


def may_be_name(word: str) -> bool:
    """Whether `word` may be a street or place name by its last word, or is such a last word itself (Raumerstraße,
    Sachsenhausen, Alexanderplatz, Platz): its parts and OpenThesaurus's synonyms are not what was meant (Raum is no
    Zimmer in Raumerstraße, Platz no Fläche). Autokäufer is none (Käufer, not -ufer)."""
    last = compound_head(word) or word.casefold()
    return last in STREET_HEADS | PLACE_HEADS | NAME_OR_NOUN_HEADS


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """Every word inside the compound `word`, each side followed by its own parts (Straßenbahnunfall →
    strassenbahn, strasse, bahn, unfall); () for a word that is not a compound. The word itself is not among them.
    A street name's only part is its last word (Raumerstraße → strasse), a place name has none (Sachsenhausen)."""
    head = compound_head(word)
    if head in STREET_HEADS:
        return (head,)
    if head in PLACE_HEADS:
        return ()
    found: list[str] = []
    for side in split_compound(word):
        if len(side) > 1:  # not the letter of U-Bahn
            found.append(side)
        found.extend(compound_parts(side))
    return tuple(dict.fromkeys(found))
