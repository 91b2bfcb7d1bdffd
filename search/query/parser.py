"""Turning what a person typed into a Whoosh query: bounded in size, never an error for a typo, with notes.

Supported syntax: words (all required), "phrases", -exclusion, OR/ODER, AND/UND, NOT/NICHT, parentheses, the
fields titel:, ort:, quelle:, datum:, and a trailing * for words beginning with at least three given letters (the
most common MAX_PREFIX_WORDS such words: an unbounded `*` took 36 s on a large vocabulary). Other wildcards, fuzzy
terms, ranges and boosts are not operators: their characters are ignored, with a note. A word written with digits
(`SonderwortAlpha2`, `0815/12`) is searched as the phrase of its parts.

Besides the words that must match, a query carries bonuses that only rank: the words close together in the text,
and the time a date written among the words names (`Brand Dachstuhl März 2016`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from whoosh import qparser
from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.reading import IndexReader

from ..config import Settings
from ..errors import QueryError
from ..german.analysis import german_analyzer
from ..german.compounds import GENDER_ENDINGS
from ..german.dates import MONTHS, day_number
from ..german.release_codes import typed_codes
from ..german.text import normalize_text
from ..weights import Weights
from . import Searcher
from .dates import RELATIVE_DATE, Span, berlin_day, german_days, parse_date_span, relative_span
from .doc_score import DocScore
from .expansion import SEARCH_FIELDS, expand_words, words_as_typed

# A trailing * searches at most this many words with the given beginning, the most frequent ones.
MAX_PREFIX_WORDS = 50
MIN_PREFIX_CHARS = 3

_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "»": '"', "«": '"'})
_WORD = re.compile(r"\w", re.UNICODE)
_WORD_START = r"(?:^|(?<=[\s(]))"
_PLUS = re.compile(_WORD_START + r"\+")
# `titel:Brand`, `ort:Bornheim`, `quelle:Polizei` search one field; any other `name:` prefix is dropped with a note.
# (`Bürger:innen` is a gender form, not a field.)
_FIELD_PREFIX = re.compile(r"(?<![\w:])([^\W\d_]+):(?=\S)(?!(?:" + "|".join(GENDER_ENDINGS) + r")(?![^\W_]))")
# `U 7`, `A 66`: a line or road, one word (as the analyzer reads it in releases), not a letter and a number.
_LETTER_NUMBER = re.compile(r"(?<![^\W_])([^\W\d_]) (\d+)(?![^\W_])")
# A word written with digits (`SonderwortAlpha2`, `BAB5`, `24jährige`) or numbers joined by a slash (`0815/12`, a case
# number) is several words to the analyzer: it is searched as their phrase, so that its digits match only there
# (SonderwortAlpha2 is not SonderwortAlpha3 with a 2 elsewhere in the text) and `BAB 5` or `BAB-5` match it too.
_ALNUM_RUN = re.compile(r"[^\W_]+(?:/\d+)*")
_LETTER_DIGIT = re.compile(r"[^\W\d_]\d|\d[^\W\d_]|\d/\d")
_ANALYZER = german_analyzer()
FIELD_NAMES = {"titel": "title", "title": "title", "ort": "place", "quelle": "source_text"}
# `datum:2015`, `datum:11.09.2025`, `datum:"März 2016"`, `datum:2015-03..2015-06`: a date filter, not words.
_DATE_FIELD = re.compile(r"(?<![\w:])datum:(\"[^\"]*\"|\S+)", re.I)
# `Fahrrad*`: a word beginning; the star must end the word.
_PREFIX = re.compile(r"(?<![\w*])([^\W\d_][^\W_]{" + str(MIN_PREFIX_CHARS - 1) + r",})\*(?![\w*])")
# Wildcard, fuzzy and boost marks; a star inside a word is a gender star (Bürger*innen), not a wildcard.
_SPECIAL = re.compile(r"(?<!\w)\*|\*(?!\w)|[~^]")
# The number of a fuzzy or boost mark (`Lagerhalle~2`, `Brand^3`) is part of the mark, not a word to search.
_MARK_NUMBER = re.compile(r"(?<=\w)([~^])\d+(?:\.\d+)?(?![\w.])")
# Dates written among the words: 11.09.2015, 11. September 2015, März 2016, 03.2015, 2016-03(-05), or a year.
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_WORDS = re.compile(
    r"(?<![\w.:-])(?:\d{1,2}\.\s?\d{1,2}\.\s?\d{4}|\d{1,2}\.\s(?:MONTH)\.?\s\d{4}|(?:MONTH)\.?\s\d{4}"
    r"|\d{1,2}\.\d{4}|\d{4}-\d{2}(?:-\d{2})?|(?:19[5-9]|20[0-4])\d)(?![\w.:-]|\.\.)".replace("MONTH", _MONTH),
    re.IGNORECASE,
)
OPERATORS = frozenset({"AND", "OR", "NOT", "UND", "ODER", "NICHT"})
_NEVER = r"(?!)"
# The score a release gets for the code typed: above any words' (a code names one release, or a few).
CODE_WEIGHT = 50.0


@dataclass(frozen=True)
class ParsedQuery:
    """What a query searches and says; a changed query is a new value (dataclasses.replace), never an edit."""

    # What was typed, as searched: normalised, cut to the limits, without `datum:` and the dates among the words.
    typed: str
    query: wq.Query
    notes: tuple[str, ...] = ()
    # The days named by `datum:` (first, last), or None.
    date_span: Span | None = None
    # Optional queries that only add to the score of releases that match `query`.
    bonus: tuple[wq.Query, ...] = ()
    # Days (YYYYMMDD, first and last) named by dates among the words: releases of that time are ranked first.
    preferred: tuple[tuple[int, int], ...] = ()
    # Words corrected by the search before this query was made of them: (as typed, as searched).
    corrected: tuple[tuple[str, str], ...] = ()


def parse_user_query(typed: str, searcher: Searcher, settings: Settings, relaxed: bool = False,
                     now: float | None = None) -> ParsedQuery:
    """Parse `typed` for searching with `searcher`, within the limits and with the weights of `settings`; raises
    QueryError when nothing searchable is left. Relative dates (`gestern`, `letzte Woche`) are read against the
    day in Germany at `now` (seconds since 1970; default: `settings.clock()`).

    With `relaxed`, words are joined by OR instead of AND (used when all words together find nothing). How common
    a word is in the index decides whether it is also searched by its compound parts. A release code among the words
    (`POL-F: 090928 - 1226`, `090928 - 1226`, `Nr. 0241`) finds the releases whose title begins with it.
    """
    typed, limit_notes = _within_limits(" ".join(normalize_text(typed).translate(_QUOTES).split()), settings)
    codes = typed_codes(typed)
    today = berlin_day(settings.clock() if now is None else now)
    if not codes:
        return _parse_words(typed, searcher, settings, relaxed, limit_notes, today)
    rest = typed
    for written, _ in codes:
        rest = rest.replace(written, " ", 1)
    found = [(written, DocScore(searcher, set(searcher.docs_for_query(wq.Term("code", key))), CODE_WEIGHT))
             for written, key in codes]
    notes = (*limit_notes, *(f"Keine Meldung trägt die Nummer „{written}“." for written, q in found if not q.docnums))
    matching: list[wq.Query] = [q for _, q in found if q.docnums]
    shown = " ".join(written for written, _ in codes)
    if not _WORD.search(rest):
        query = _joined(matching, relaxed) if matching else wq.NullQuery
        return ParsedQuery(typed=shown, query=query, notes=notes)
    words = _parse_words(" ".join(rest.split()), searcher, settings, relaxed, (), today)
    return replace(words, typed=f"{shown} {words.typed}", query=_joined([*matching, words.query], relaxed),
                   notes=(*notes, *words.notes))


def _within_limits(typed: str, settings: Settings) -> tuple[str, list[str]]:
    """`typed` (normalised) cut to the settings' characters and words, with a note for each cut: before anything is
    looked up, release codes included."""
    notes: list[str] = []
    if len(typed) > settings.max_query_chars:
        cut = typed.rfind(" ", 0, settings.max_query_chars + 1)
        typed = typed[: cut if cut > 0 else settings.max_query_chars]
        notes.append(f"Die Anfrage war zu lang; gesucht wurde nur mit den ersten {len(typed)} Zeichen.")
    words = typed.split()
    if len(words) > settings.max_query_terms:
        typed = " ".join(words[:settings.max_query_terms])
        notes.append(f"Nur die ersten {settings.max_query_terms} Wörter wurden berücksichtigt.")
    return typed, notes


def _parse_words(typed: str, searcher: Searcher, settings: Settings, relaxed: bool,
                 limit_notes: Sequence[str], today: date) -> ParsedQuery:
    """parse_user_query for what was typed besides release codes, already within the limits (`limit_notes` say
    what was cut), on `today`."""
    weights = settings.weights
    notes = list(limit_notes)
    typed = _PLUS.sub("", typed)
    typed, date_span, unreadable = _take_date_filters(typed, notes)
    typed, hinted = _take_date_words(typed, today)
    typed = _map_fields(typed, notes)
    with_prefixes = typed
    typed, prefixes = _take_prefixes(typed)
    inline: dict[str, str] = {}
    if prefixes and _has_operators(typed):
        # `Brand ODER ver*`, `ver* ODER ein*`: the beginnings take part in the operators, so each stays in its place
        # as a stand-in word for Whoosh's parser and becomes its BoundedPrefix in the parsed query.
        typed, inline = _stand_ins(with_prefixes, prefixes)
        prefixes = []
    typed = " ".join(_LETTER_NUMBER.sub(r"\1\2", typed).split())
    if _SPECIAL.search(typed):
        notes.append("Platzhalter und Sonderzeichen (*, ~, ^) werden nicht unterstützt und wurden ignoriert.")
        typed = _MARK_NUMBER.sub(r"\1", typed)
    if typed.count('"') % 2:
        typed = _drop_last(typed, '"')
        notes.append("Ein einzelnes Anführungszeichen wurde ignoriert.")
    if not _balanced(typed):
        typed = typed.replace("(", " ").replace(")", " ")
        notes.append("Unvollständige Klammern wurden ignoriert.")

    if not _WORD.search(typed) and prefixes:
        query = _joined([_prefix_query(prefix) for prefix in prefixes], relaxed)
        return ParsedQuery(typed=" ".join(f"{p}*" for p in prefixes), query=query, notes=tuple(notes),
                           date_span=date_span)
    if not _WORD.search(typed) and hinted:  # only a date was typed: it is the filter
        first = min(span[0] for span in hinted)
        last = max(span[1] for span in hinted)
        date_span = (first, last) if date_span is None else (max(date_span[0], first), min(date_span[1], last))
    if not _WORD.search(typed) and date_span is not None:
        return ParsedQuery(typed="", query=wq.Every(), notes=tuple(notes), date_span=date_span)
    if not _WORD.search(typed):
        if unreadable:  # only a date was typed, and it was none: say that, not "type a word"
            raise QueryError(f"„datum:{unreadable[0]}“ ist kein lesbares Datum {_DATE_EXAMPLES}.")
        raise QueryError("Bitte geben Sie einen Suchbegriff ein.")
    if _only_operators(typed):
        raise QueryError("Die Anfrage enthält nur Operatoren (AND, OR, NOT); bitte geben Sie Suchbegriffe ein.")
    parsed = _parser(searcher.schema, weights.title).parse(digits_as_phrases(typed))
    parsed = _drop_empty(_put_prefixes(parsed, inline) if inline else parsed)
    if parsed is wq.NullQuery or not (list(parsed.iter_all_terms()) or _has_prefix(parsed)):
        raise QueryError(
            "Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder „und“ oder Operatoren)."
        )
    if _only_negative(parsed):
        raise QueryError("Bitte geben Sie neben ausgeschlossenen Wörtern (-wort) auch ein gesuchtes Wort ein.")
    notes.extend(f"„{written}“ wurde als {reading} gelesen: Meldungen aus dieser Zeit stehen weiter oben."
                 for written, reading in hinted.values())
    bonus = [_proximity(parsed, weights)] if not relaxed else []
    query = expand_words(parsed, words_as_typed(typed), weights, searcher.reader())
    if prefixes:
        query = _joined([query, *(_prefix_query(prefix) for prefix in prefixes)], False)
        typed = " ".join([typed, *(f"{p}*" for p in prefixes)])
    if relaxed:
        # Relaxed only now: parsed with OR between the words, Whoosh's normalising merged every word's fields into
        # one flat Or, and the words went unexpanded (no forms, parts or synonyms in the fallback).
        query = _keep_exclusions(_any_of_the_words(query))
    for stand_in, prefix in inline.items():
        typed = typed.replace(stand_in, f"{prefix}*")
    return ParsedQuery(typed=typed, query=query, notes=tuple(notes), date_span=date_span,
                       bonus=tuple(q for q in bonus if q is not None),
                       preferred=tuple((day_number(first), day_number(last)) for first, last in hinted))


class BoundedPrefix(wq.Prefix):
    """The words beginning with a prefix, at most MAX_PREFIX_WORDS of them: the ones most releases contain."""

    def _btexts(self, ixreader: IndexReader) -> list[bytes]:
        words = list(ixreader.expand_prefix(self.fieldname, self.text))
        if len(words) > MAX_PREFIX_WORDS:
            words.sort(key=lambda word: -ixreader.doc_frequency(self.fieldname, word))
            words = sorted(words[:MAX_PREFIX_WORDS])
        return words

    def is_bounded(self, ixreader: IndexReader) -> bool:
        """Whether more words begin with the prefix than are searched."""
        return any(i >= MAX_PREFIX_WORDS for i, _ in enumerate(ixreader.expand_prefix(self.fieldname, self.text)))


def _prefix_query(prefix: str) -> wq.Query:
    """A word beginning, over the words as written (`exact`): stems would miss Häus* (stem haus)."""
    return BoundedPrefix("exact", prefix.lower())


def _joined(parts: list[wq.Query], relaxed: bool) -> wq.Query:
    """`parts` all required (or, `relaxed`, any of them), as one flat And or Or: relaxing drops its members."""
    joint = wq.Or if relaxed else wq.And
    flat = [sub for part in parts for sub in (part.subqueries if isinstance(part, joint) else [part])]
    return flat[0] if len(flat) == 1 else joint(flat)


def _only_operators(typed: str) -> bool:
    """Whether `typed` holds nothing but operators and parentheses (or nothing at all)."""
    return all(word.strip("()\"") in OPERATORS | {""} for word in typed.split())


def _has_operators(typed: str) -> bool:
    """Whether `typed` (with its word beginnings taken out) holds an operator, a parenthesis or the `-` of an
    excluded beginning: syntax the beginnings take part in."""
    return "(" in typed or any(word.strip("()\"") in OPERATORS or word == "-" for word in typed.split())


def _any_of_the_words(q: wq.Query) -> wq.Query:
    """`q` with its top-level And (each typed word, phrase or group) made an Or: any of them; excluded words (an
    AndNot around the And, as Whoosh's normalising writes them) stay excluded."""
    if isinstance(q, wq.AndNot):
        return wq.AndNot(_any_of_the_words(q.a), q.b)
    return wq.Or(q.subqueries) if isinstance(q, wq.And) else q


def _keep_exclusions(q: wq.Query) -> wq.Query:
    """`q` with each Or that holds excluded words made "any of the others, without those": relaxing joins the
    words by OR, and `Leuchtturm NICHT Fest` relaxed to Or(leuchtturm, Not(fest)) found every release without
    `Fest`."""
    if q.is_leaf() or isinstance(q, wq.Not):
        return q
    q = q.apply(_keep_exclusions)
    if not isinstance(q, wq.Or):
        return q
    excluded = [sub.query for sub in q.subqueries if isinstance(sub, wq.Not)]
    wanted = [sub for sub in q.subqueries if not isinstance(sub, wq.Not)]
    if not excluded or not wanted:
        return q
    return wq.AndNot(_one_of(wanted), _one_of(excluded))


def _one_of(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _has_prefix(q: wq.Query) -> bool:
    return any(isinstance(leaf, BoundedPrefix) for leaf in q.leaves())


def _stand_ins(typed: str, prefixes: list[str]) -> tuple[str, dict[str, str]]:
    """`typed` with each `word*` replaced by a stand-in word the analyzer leaves as it is; stand-in → beginning."""
    inline = {f"zqxpfx{chr(ord('a') + number)}qx": prefix for number, prefix in enumerate(prefixes)}
    by_prefix = {prefix: stand_in for stand_in, prefix in inline.items()}
    return _PREFIX.sub(lambda match: by_prefix[match[1]], typed), inline


def _put_prefixes(q: wq.Query, inline: dict[str, str]) -> wq.Query:
    """`q` with each stand-in word its BoundedPrefix. The parser writes a word as an Or of one Term per search
    field, and flattens that into an enclosing Or (`a ODER b` is one Or of four Terms)."""
    if isinstance(q, wq.Term) and q.text in inline:
        return _prefix_query(inline[q.text])
    if isinstance(q, wq.Or):
        kept = [sub for sub in q.subqueries if not (isinstance(sub, wq.Term) and sub.text in inline)]
        named = dict.fromkeys(sub.text for sub in q.subqueries if isinstance(sub, wq.Term) and sub.text in inline)
        subqueries = [_put_prefixes(sub, inline) for sub in kept] + [_prefix_query(inline[t]) for t in named]
        return subqueries[0] if len(subqueries) == 1 else wq.Or(subqueries, boost=q.boost)
    if q.is_leaf():
        return q
    if isinstance(q, wq.AndNot):
        return wq.AndNot(_put_prefixes(q.a, inline), _put_prefixes(q.b, inline))
    return q.apply(lambda child: _put_prefixes(child, inline))


def _take_prefixes(typed: str) -> tuple[str, list[str]]:
    """Remove each `word*` (at least MIN_PREFIX_CHARS letters) from `typed`; the beginnings, in order."""
    prefixes = _PREFIX.findall(typed)
    return _PREFIX.sub(" ", typed), list(dict.fromkeys(prefixes))


def _take_date_words(typed: str, today: date) -> tuple[str, dict[Span, tuple[str, str]]]:
    """Remove the dates written among the words of `typed` (not after `datum:`, not inside a phrase), relative ones
    read on `today`; the spans they name, each with the date as typed and how the note calls what it was read as."""
    hinted: dict[Span, tuple[str, str]] = {}

    def take_relative(match: re.Match) -> str:
        if _inside_phrase(typed, match.start()):  # words, as typed
            return match.group(0)
        span = relative_span(match, today)
        hinted.setdefault(span, (match.group(0), german_days(span)))
        return " "

    without_relative = RELATIVE_DATE.sub(take_relative, typed)

    def take(match: re.Match) -> str:
        span = parse_date_span(match.group(0))
        if span is None or _inside_phrase(without_relative, match.start()):
            return match.group(0)
        hinted.setdefault(span, (match.group(0), "Zeitangabe"))
        return " "

    return _DATE_WORDS.sub(take, without_relative), hinted


def _inside_phrase(text: str, position: int) -> bool:
    """Whether `position` of `text` is between quotes."""
    return text[:position].count('"') % 2 == 1


def _proximity(q: wq.Query, weights: Weights) -> wq.Query | None:
    """A bonus for each two neighbouring words of `q` that stand close together in the body (within
    `weights.proximity_slop` words), in either order; None for fewer than two words. (Pairs, not one phrase of all
    words: on the development queries pairs within two words scored 0.932 MRR@10, the whole query as one phrase
    within four 0.926, at 10 % more query time.)"""
    if not isinstance(q, wq.And):
        return None
    stems = [stem for stem in map(_word_stem, q.subqueries) if stem is not None]
    if len(stems) < 2:
        return None
    pairs = [wq.Phrase("body", pair, slop=weights.proximity_slop)
             for a, b in zip(stems, stems[1:], strict=False) for pair in ([a, b], [b, a])]
    return wq.Or(pairs, boost=weights.proximity)


def _word_stem(q: wq.Query) -> str | None:
    """The stem when `q` is one word over the search fields (an Or of their Terms, the first one's text); else None."""
    if not isinstance(q, wq.Or):
        return None
    terms = [t for t in q.subqueries if isinstance(t, wq.Term) and t.fieldname in SEARCH_FIELDS]
    return terms[0].text if terms and len(terms) == len(q.subqueries) else None


_DATE_EXAMPLES = "(Beispiele: datum:2015, datum:März 2016, datum:11.09.2025, datum:2015-03..2015-06)"


def _take_date_filters(typed: str, notes: list[str]) -> tuple[str, Span | None, list[str]]:
    """Remove each `datum:…` from `typed`; the span all of them allow (None when there were none), and the values
    that are no date (each also noted as ignored)."""
    span: Span | None = None
    unreadable: list[str] = []
    for match in _DATE_FIELD.finditer(typed):
        value = match.group(1).strip('"')
        found = parse_date_span(value)
        if found is None:
            unreadable.append(value)
            notes.append(f"„datum:{value}“ ist kein lesbares Datum und wurde ignoriert {_DATE_EXAMPLES}.")
            continue
        span = found if span is None else (max(span[0], found[0]), min(span[1], found[1]))
    if span is not None and span[0] > span[1]:
        notes.append("Die Datumsangaben schließen einander aus.")
    return _DATE_FIELD.sub(" ", typed), span, unreadable


def _map_fields(typed: str, notes: list[str]) -> str:
    """`titel:`, `ort:`, `quelle:` become the index's field names; other prefixes are dropped with a note."""
    unknown = [name for name in _FIELD_PREFIX.findall(typed) if name.lower() not in FIELD_NAMES]
    if unknown:
        names = ", ".join(f"„{name}:“" for name in dict.fromkeys(unknown))
        verb = "wurde" if len(set(unknown)) == 1 else "wurden"
        notes.append(f"Nur die Suchfelder titel:, ort:, quelle: und datum: werden unterstützt; {names} {verb} "
                     "ignoriert.")

    def rename(match: re.Match) -> str:
        name = match.group(1).lower()
        return f"{FIELD_NAMES[name]}:" if name in FIELD_NAMES else ""

    return _FIELD_PREFIX.sub(rename, typed)


def prefix_notes(q: wq.Query, reader: IndexReader) -> list[str]:
    """A note for each `word*` of `q` that begins more words than are searched."""
    return [f"Zu „{leaf.text}*“ passen sehr viele Wörter; gesucht wurde mit den {MAX_PREFIX_WORDS} häufigsten."
            for leaf in q.leaves() if isinstance(leaf, BoundedPrefix) and leaf.is_bounded(reader)]



def _parser(schema: Schema, title_weight: float) -> qparser.QueryParser:
    parser = qparser.QueryParser(None, schema, group=qparser.AndGroup, plugins=[])
    parser.add_plugin(qparser.WhitespacePlugin())
    parser.add_plugin(qparser.PhrasePlugin())
    parser.add_plugin(qparser.GroupPlugin())
    parser.add_plugin(qparser.FieldsPlugin())
    parser.add_plugin(qparser.OperatorsPlugin(And=r"(?<=\s)(AND|UND)(?=\s)", Or=r"(?<=\s)(OR|ODER)(?=\s)",
                                              Not=r"(^|(?<=(\s|[()])))(NOT|NICHT)(?=\s)", AndNot=None,
                                              AndMaybe=None, Require=None))
    # Words are required anyway, so a leading + is dropped (_PLUS) rather than parsed into Whoosh's AND-MAYBE.
    # + and - are operators only at the start of a word: "Exchange-Konferenz" is one word, not an exclusion.
    parser.add_plugin(qparser.PlusMinusPlugin(plusexpr=_NEVER, minusexpr=_WORD_START + "-"))
    parser.add_plugin(qparser.MultifieldPlugin(SEARCH_FIELDS, fieldboosts={"title": title_weight}))
    return parser


def digits_as_phrases(typed: str) -> str:
    """`typed` with each word written with digits that the analyzer splits (outside quotes) quoted as a phrase."""
    pieces = typed.split('"')
    for number in range(0, len(pieces), 2):  # outside quotes: they are balanced by now
        pieces[number] = _ALNUM_RUN.sub(_quoted_if_split, pieces[number])
    return '"'.join(pieces)


def _quoted_if_split(match: re.Match[str]) -> str:
    written = match.group(0)
    if _LETTER_DIGIT.search(written) and len(list(_ANALYZER(written))) > 1:
        return f'"{written}"'
    return written


def _drop_last(text: str, char: str) -> str:
    index = text.rfind(char)
    return text[:index] + " " + text[index + 1:]


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def _drop_empty(q: wq.Query) -> wq.Query:
    return q.normalize() if q is not wq.NullQuery else q


def _only_negative(q: wq.Query) -> bool:
    if isinstance(q, wq.Not):
        return True
    if isinstance(q, wq.And):
        return all(_only_negative(sub) for sub in q.subqueries)
    return False
