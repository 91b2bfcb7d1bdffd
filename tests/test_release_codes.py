"""Release codes split off titles and read from typed queries, on the forms of the shared corpus's titles."""

from __future__ import annotations

from dataclasses import replace

import pytest

from search.german.release_codes import TitleCode, code_keys, split_title_code, typed_codes
from search.query.parser import parse_user_query
from search.release import shown_title

# Real title forms from the shared corpus (index.jsonl), with how often each form occurs there.
TITLES = [
    # `POL-F: yymmdd - nnnn place: headline`, the common form (7,927 with four digits, 9,547 with three)
    ("POL-F: 151124 - 928 Frankfurt-Niederursel: Verkehrsunfallflucht",
     TitleCode("POL-F: 151124 - 928", "Frankfurt-Niederursel: Verkehrsunfallflucht", ("151124-928", "nr-928"))),
    ("POL-F: 000702 - 0864 Innenstadt: Versuchte Tötung: Streitigkeiten mit Messer ausgetragen",
     TitleCode("POL-F: 000702 - 0864", "Innenstadt: Versuchte Tötung: Streitigkeiten mit Messer ausgetragen",
               ("000702-864", "nr-864"))),
    # an en dash (766), no space before the dash (48), no space after it (34), a space only (4)
    ("POL-F: 030723 – 0741 Frankfurt-Sossenheim: Gartenhütte niedergebrannt.",
     TitleCode("POL-F: 030723 – 0741", "Frankfurt-Sossenheim: Gartenhütte niedergebrannt.", ("030723-741", "nr-741"))),
    ("POL-F: 030911- 927 BAB 661: Autofahrer tödlich verunglückt",
     TitleCode("POL-F: 030911- 927", "BAB 661: Autofahrer tödlich verunglückt", ("030911-927", "nr-927"))),
    ("POL-F: 000627 -0855 Gallusviertel: Überfall auf Computerfachgeschäft",
     TitleCode("POL-F: 000627 -0855", "Gallusviertel: Überfall auf Computerfachgeschäft", ("000627-855", "nr-855"))),
    ("POL-F: 160316 222 - Frankfurt-Praunheim: Firmeneinbrecher auf frischer Tat festgenommen",
     TitleCode("POL-F: 160316 222", "Frankfurt-Praunheim: Firmeneinbrecher auf frischer Tat festgenommen",
               ("160316-222", "nr-222"))),
    # a colon or a dash right after the number (17, 44), dots (1)
    ("POL-F: 041116 - 1228: Achtundzwanzigste Drogentote",
     TitleCode("POL-F: 041116 - 1228", "Achtundzwanzigste Drogentote", ("041116-1228", "nr-1228"))),
    ("POL-F: 030123 - 0094 - Bonames: Frau von eigenen Hunden gebissen.",
     TitleCode("POL-F: 030123 - 0094", "Bonames: Frau von eigenen Hunden gebissen.", ("030123-94", "nr-94"))),
    ("POL-F: 020717 - 0761....Flughafen: Angetrunkener Passagier nach Landung festgenommen.",
     TitleCode("POL-F: 020717 - 0761", "Flughafen: Angetrunkener Passagier nach Landung festgenommen.",
               ("020717-761", "nr-761"))),
    # a part number before the day (7)
    ("POL-F: 2/4 011106 - 1246 Sachsenhausen: Festnahme zweier Einbrecher",
     TitleCode("POL-F: 2/4 011106 - 1246", "Sachsenhausen: Festnahme zweier Einbrecher", ("011106-1246", "nr-1246"))),
    # the headline begins with a number that belongs to it, not to the code (4)
    ("POL-F: 020225 - 0238 35jähriger mittels Messer verletzt.",
     TitleCode("POL-F: 020225 - 0238", "35jähriger mittels Messer verletzt.", ("020225-238", "nr-238"))),
    # an ordinal after the day is the headline's (9 + 3)
    ("POL-F: 000109 - 2. Nachmittagsmeldung zum Polizeibericht vom 09.01.2000, Pressestelle Polizei",
     TitleCode("POL-F: 000109", "2. Nachmittagsmeldung zum Polizeibericht vom 09.01.2000, Pressestelle Polizei")),
    ("POL-F: 000707 2. Nachmittagsmeldung Polizeipressestelle Frankfurt/Main",
     TitleCode("POL-F: 000707", "2. Nachmittagsmeldung Polizeipressestelle Frankfurt/Main")),
    # a day without a number (335), a bare number (2), the issuer alone (445)
    ("POL-F: 000118 Pressepapier,Teíl 1, Polizeipräsidium Frankfurt am Main",
     TitleCode("POL-F: 000118", "Pressepapier,Teíl 1, Polizeipräsidium Frankfurt am Main")),
    ("POL-F: 0429 - Weiteres Drogenopfer", TitleCode("POL-F: 0429", "Weiteres Drogenopfer", ("nr-429",))),
    ("POL-F: Polizeiliche Kriminalstatistik 1999, Pressepapier Teil 1",
     TitleCode("POL-F", "Polizeiliche Kriminalstatistik 1999, Pressepapier Teil 1")),
    ("POL-F: 14-jährige Wiesbadenerin (Streunerin) zum wiederholten Male vermisst",
     TitleCode("POL-F", "14-jährige Wiesbadenerin (Streunerin) zum wiederholten Male vermisst")),
    # Berlin's number, as berlin.de prints it before a headline
    ("Nr. 0241 Radfahrer in Britz angefahren", TitleCode("Nr. 0241", "Radfahrer in Britz angefahren", ("nr-241",))),
    # no code: Berlin headlines, early Frankfurt ones, a place before a colon
    ("86-Jähriger gestürzt und schwer verletzt", TitleCode("", "86-Jähriger gestürzt und schwer verletzt")),
    ("Innenstadt: Glück im Unglück", TitleCode("", "Innenstadt: Glück im Unglück")),
    ("EU-USA: Handel wächst", TitleCode("", "EU-USA: Handel wächst")),
    # a code and nothing after it stays a title
    ("POL-F: 151124 - 928", TitleCode("", "POL-F: 151124 - 928")),
]


@pytest.mark.parametrize(("title", "expected"), TITLES)
def test_split_title_code(title, expected):
    assert split_title_code(title) == expected
    assert code_keys(title) == expected.keys


@pytest.mark.parametrize(("title", "place", "shown"), [
    # The place after the code is shown beside the title, so the title leaves it out ...
    ("POL-F: 090928 - 1226 Frankfurt-Bornheim: Taschendieb gefasst", "Frankfurt-Bornheim", "Taschendieb gefasst"),
    # ... but only when it is the release's place, and only after a code.
    ("POL-F: 090928 - 1226 Frankfurt-Bornheim: Taschendieb gefasst", "Frankfurt",
     "Frankfurt-Bornheim: Taschendieb gefasst"),
    ("Bad Vilbel: Neues Bad", "Bad Vilbel", "Bad Vilbel: Neues Bad"),
    ("POL-F: 041116 - 1228: Achtundzwanzigste Drogentote", "", "Achtundzwanzigste Drogentote"),
])
def test_shown_title(title, place, shown):
    assert shown_title(title, place) == shown


@pytest.mark.parametrize(("typed", "codes"), [
    ("POL-F: 090928 - 1226", [("POL-F: 090928 - 1226", "090928-1226")]),
    ("090928 - 1226", [("090928 - 1226", "090928-1226")]),
    ("090928-1226 Bornheim", [("090928-1226", "090928-1226")]),
    ("Taschendieb 151124 – 0928", [("151124 – 0928", "151124-928")]),
    ("Nr. 0241", [("Nr. 0241", "nr-241")]),
    ("nr.241 Britz", [("nr.241", "nr-241")]),
    ("Nr 0241 und 090928 - 1226", [("Nr 0241", "nr-241"), ("090928 - 1226", "090928-1226")]),
    # Not codes: a phone number with its area code, a date, words with a dash, a short number.
    ("069-75511400", []),
    ("Berger Straße Nr. 5", []),
    ("11.09.2025", []),
    ("Rhein-Main 2025", []),
])
def test_typed_codes(typed, codes):
    assert typed_codes(typed) == codes


def test_typed_codes_count_against_the_query_limits(searcher, built_settings):
    # Each code is looked up in the index: beyond the word limit none is, as no word is.
    settings = replace(built_settings, max_query_terms=2)
    parsed = parse_user_query("090928-1226 090928-1227 090928-1228", searcher, settings)
    assert parsed.typed == "090928-1226 090928-1227"
    assert parsed.notes == (
        "Nur die ersten 2 Wörter wurden berücksichtigt.",
        "Keine Meldung trägt die Nummer „090928-1226“.",
        "Keine Meldung trägt die Nummer „090928-1227“.",
    )
