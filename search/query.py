"""Turning what a person typed into a Whoosh query: bounded in size, never an error for a typo, with notes.

Supported syntax: words (all required), "phrases", -exclusion, OR/ODER, AND/UND, NOT/NICHT, parentheses.
Wildcards, fuzzy terms, ranges, boosts and field prefixes are not operators here: their characters are ignored, which
keeps every query cheap (an unguarded `*` took 36 s on a large vocabulary).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import qparser
from whoosh import query as wq

from .date_query import Span, parse_date_span
from .errors import QueryError
from .text import normalize_text

SEARCH_FIELDS = ("title", "body")
# Chosen by measurement (benchmarks/title_weight.py, results/foundation.md): 2.0 scored clearly below 3.0 and 5.0,
# which were within noise of each other; 3.0 gives up less on queries whose words are in the body only, and the
# method rewards ever larger weights by construction, so the smaller of the two is the safer choice.
TITLE_WEIGHT = 3.0

_QUOTES = str.maketrans({"„": '"', "“": '"', "”": '"', "»": '"', "«": '"'})
_WORD = re.compile(r"\w", re.UNICODE)
_WORD_START = r"(?:^|(?<=[\s(]))"
_PLUS = re.compile(_WORD_START + r"\+")
# `titel:Brand`, `ort:Bornheim`, `quelle:Polizei` search one field; any other `name:` prefix is dropped with a note.
_FIELD_PREFIX = re.compile(r"(?<![\w:])([^\W\d_]+):(?=\S)")
FIELD_NAMES = {"titel": "title", "title": "title", "ort": "place", "quelle": "source_text"}
# `datum:2015`, `datum:11.09.2025`, `datum:"März 2016"`, `datum:2015-03..2015-06`: a date filter, not words.
_DATE_FIELD = re.compile(r"(?<![\w:])datum:(\"[^\"]*\"|\S+)", re.I)
# Wildcard, fuzzy and boost marks; a star inside a word is a gender star (Bürger*innen), not a wildcard.
_SPECIAL = re.compile(r"(?<!\w)\*|\*(?!\w)|[~^]")
OPERATORS = frozenset({"AND", "OR", "NOT", "UND", "ODER", "NICHT"})
_NEVER = r"(?!)"


@dataclass
class ParsedQuery:
    text: str
    query: wq.Query
    notes: list[str] = field(default_factory=list)
    # The days named by `datum:` (first, last), or None.
    date_span: Span | None = None


def parse_user_query(raw: str, schema, max_chars: int, max_terms: int, relaxed: bool = False) -> ParsedQuery:
    """Parse `raw` for searching `schema`; raises QueryError when nothing searchable is left.

    With `relaxed`, words are joined by OR instead of AND (used when all words together find nothing).
    """
    notes: list[str] = []
    text = " ".join(normalize_text(raw).translate(_QUOTES).split())
    if len(text) > max_chars:
        cut = text.rfind(" ", 0, max_chars + 1)
        text = text[: cut if cut > 0 else max_chars]
        notes.append(f"Die Anfrage war zu lang; gesucht wurde nur mit den ersten {len(text)} Zeichen.")
    words = text.split()
    if len(words) > max_terms:
        text = " ".join(words[:max_terms])
        notes.append(f"Nur die ersten {max_terms} Wörter wurden berücksichtigt.")
    text = _PLUS.sub("", text)
    text, date_span = _take_dates(text, notes)
    text = _map_fields(text, notes)
    if _SPECIAL.search(text):
        notes.append("Platzhalter und Sonderzeichen (*, ~, ^) werden nicht unterstützt und wurden ignoriert.")
    if text.count('"') % 2:
        text = _drop_last(text, '"')
        notes.append("Ein einzelnes Anführungszeichen wurde ignoriert.")
    if not _balanced(text):
        text = text.replace("(", " ").replace(")", " ")
        notes.append("Unvollständige Klammern wurden ignoriert.")

    if not _WORD.search(text) and date_span is not None:
        return ParsedQuery(text="", query=wq.Every(), notes=notes, date_span=date_span)
    if not _WORD.search(text):
        raise QueryError("Bitte geben Sie einen Suchbegriff ein.")
    if all(word.strip("()\"") in OPERATORS for word in text.split()):
        raise QueryError("Die Anfrage enthält nur Operatoren (AND, OR, NOT); bitte geben Sie Suchbegriffe ein.")
    parsed = _parser(schema, relaxed).parse(text)
    parsed = _drop_empty(parsed)
    if parsed is wq.NullQuery or not list(parsed.iter_all_terms()):
        raise QueryError(
            "Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder „und“ oder Operatoren)."
        )
    if _only_negative(parsed):
        raise QueryError("Bitte geben Sie neben ausgeschlossenen Wörtern (-wort) auch ein gesuchtes Wort ein.")
    return ParsedQuery(text=text, query=parsed, notes=notes, date_span=date_span)


def _take_dates(text: str, notes: list[str]) -> tuple[str, Span | None]:
    """Remove each `datum:…` from `text`; the span all of them allow (None when there were none)."""
    span: Span | None = None
    for match in _DATE_FIELD.finditer(text):
        value = match.group(1).strip('"')
        found = parse_date_span(value)
        if found is None:
            notes.append(f"„datum:{value}“ ist kein lesbares Datum und wurde ignoriert "
                         "(Beispiele: datum:2015, datum:März 2016, datum:11.09.2025, datum:2015-03..2015-06).")
            continue
        span = found if span is None else (max(span[0], found[0]), min(span[1], found[1]))
    if span is not None and span[0] > span[1]:
        notes.append("Die Datumsangaben schließen einander aus.")
    return _DATE_FIELD.sub(" ", text), span


def _map_fields(text: str, notes: list[str]) -> str:
    """`titel:`, `ort:`, `quelle:` become the index's field names; other prefixes are dropped with a note."""
    unknown = [name for name in _FIELD_PREFIX.findall(text) if name.lower() not in FIELD_NAMES]
    if unknown:
        names = ", ".join(f"„{name}:“" for name in dict.fromkeys(unknown))
        verb = "wurde" if len(set(unknown)) == 1 else "wurden"
        notes.append(f"Nur die Suchfelder titel:, ort:, quelle: und datum: werden unterstützt; {names} {verb} "
                     "ignoriert.")

    def rename(match: re.Match) -> str:
        name = match.group(1).lower()
        return f"{FIELD_NAMES[name]}:" if name in FIELD_NAMES else ""

    return _FIELD_PREFIX.sub(rename, text)


def query_terms(parsed: ParsedQuery) -> frozenset[str]:
    """The analysed words a release must show highlighted (excluded words are not among them)."""
    return frozenset(
        text.decode("utf-8") if isinstance(text, bytes) else text
        for fieldname, text in _positive_terms(parsed.query)
        if fieldname in SEARCH_FIELDS
    )


def _parser(schema, relaxed: bool) -> qparser.QueryParser:
    group = qparser.OrGroup if relaxed else qparser.AndGroup
    parser = qparser.QueryParser(None, schema, group=group, plugins=[])
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
    parser.add_plugin(qparser.MultifieldPlugin(SEARCH_FIELDS, fieldboosts={"title": TITLE_WEIGHT}))
    return parser


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


def _positive_terms(q: wq.Query):
    if isinstance(q, (wq.Not, wq.AndNot)):
        if isinstance(q, wq.AndNot):
            yield from _positive_terms(q.a)
        return
    if q.is_leaf():
        yield from q.terms(phrases=True)
        return
    for child in q.children():
        yield from _positive_terms(child)
