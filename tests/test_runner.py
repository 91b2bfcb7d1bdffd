"""End-to-end searches over the fixture corpus: ids and order, highlighting, query notes and errors."""

from dataclasses import replace

import pytest

from search import QueryError, ReleaseNotFoundError, Settings, build_index, get_release, mark_release, run_query
from tests.conftest import open_searcher

# None of these releases has an embargo: any instant shows them all.
NOW = 1_750_000_000.0
SAMPLE_ID = "000_9bbab4686f7edeba"


def ids(searcher, settings, text, **kwargs):
    return [hit.id for hit in run_query(searcher, settings, text, **kwargs).hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Konferenzen Shenyang", [SAMPLE_ID]),  # plural finds singular
        # The exact word in a title first, then "Unfälle" in a title (and "Auffahrunfälle" in the text).
        ("Unfall", ["unfall_singular", "unfaelle_plural"]),
        # The exact form first; the synonym "Passantin" last.
        ("Fußgänger", ["fussgaenger_alte_schreibung", "fussgaengerin_umschrift", "ots_dateline_ohne_titel"]),
        ("Fussgaenger", ["fussgaengerin_umschrift", "fussgaenger_alte_schreibung",  # ae/ue/ss for ä/ü/ß
                         "ots_dateline_ohne_titel"]),
        # "Landstraße" last: a compound holding the word.
        ("Strasse", ["fussgaengerin_umschrift", "fussgaenger_alte_schreibung", "unfall_singular"]),
        ("erfasst", ["fussgaenger_alte_schreibung"]),  # pre-1996 "erfaßt"
        ('"Hanauer Landstraße"', ["unfall_singular"]),
        ('"Landstraße Hanauer"', []),
        ("Fußgänger -Radfahrer", ["fussgaengerin_umschrift", "ots_dateline_ohne_titel"]),
        ("Lagerhalle ODER Taschendieb", ["pressemeldung_portal", "ots_dateline_ohne_titel"]),
        ("(Lagerhalle OR Taschendieb) Bornheim", ["ots_dateline_ohne_titel"]),
        ("Sachschaden", ["pressemeldung_portal"]),
        ("Leuchtturm", ["web_leuchtturm_titel", "web_leuchtturm_fest", "web_leuchtturm_fahrplan"]),
        # The HTML page's script, cookie banner, navigation, share buttons and footer are not searchable.
        ("Zählpixel", []),
        ("Kekse", []),
        ("Startseite", []),
        ("Facebook", []),
        ("Impressum", []),
        ("Quantencomputer", []),
    ],
)
def test_search_finds_exactly(searcher, built_settings, query, expected):
    assert ids(searcher, built_settings, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("titel:Lagerhalle", ["pressemeldung_portal"]),
        ("titel:Taschendieb", []),  # that release's title is derived from its lead, so not searched as a title
        ('titel:"Hanauer Landstraße"', ["unfall_singular"]),
        ("ort:Frankfurt", ["ots_dateline_ohne_titel"]),  # the ots dateline's place
        ("quelle:Feuerwehr Brand", ["pressemeldung_portal"]),
        ("Unfall datum:2019", ["unfall_singular", "unfaelle_plural"]),
        ("Unfall datum:04.03.2019", ["unfall_singular"]),
        ("Unfall datum:2019-03-11", ["unfaelle_plural"]),
        ('Unfall datum:"März 2019"', ["unfall_singular", "unfaelle_plural"]),
        ("Unfall datum:03.2019", ["unfall_singular", "unfaelle_plural"]),
        ("Unfall datum:2019-04..2020", []),
        ("Unfall datum:..2019-03-05", ["unfall_singular"]),
        ("datum:1999", ["fussgaenger_alte_schreibung"]),  # a date alone lists that time's releases
        ("Unfall datum:2019 datum:2020", []),
    ],
)
def test_field_operators(searcher, built_settings, query, expected):
    assert ids(searcher, built_settings, query) == expected


def test_snippet_marks_every_query_word_stem_aware(searcher, built_settings):
    page = run_query(searcher, built_settings, "Konferenzen Shenyang")
    hit = page.hits[0]
    assert hit.snippet.startswith("Die Exchange-<mark>Konferenz</mark> 2025 zur integrierten Entwicklung")
    assert "in <mark>Shenyang</mark> in der nordöstlichen" in hit.snippet
    assert hit.title_html.startswith("Die Exchange-<mark>Konferenz</mark> 2025")
    assert (hit.date.isoformat(), hit.source) == ("2025-09-11", "Xinhua Silk Road Information Service (ots)")
    assert page.to_json()["hits"][0]["date"] == "2025-09-11"


def test_title_only_match_falls_back_to_the_start_of_the_text(searcher, built_settings):
    hit = run_query(searcher, built_settings, "verlängert").hits[0]
    assert hit.id == "web_ohne_datum"
    assert hit.date is None
    assert hit.title_html == "Bibliothek <mark>verlängert</mark> Öffnungszeiten"
    assert hit.snippet == "Die Stadtbibliothek öffnet ab Montag auch abends bis 22 Uhr."


def test_a_compound_holding_a_query_word_is_marked(searcher, built_settings):
    hit = run_query(searcher, built_settings, "Bibliothek").hits[0]
    assert hit.id == "web_ohne_datum"
    assert hit.title_html == "<mark>Bibliothek</mark> verlängert Öffnungszeiten"
    assert hit.snippet == "Die <mark>Stadtbibliothek</mark> öffnet ab Montag auch abends bis 22 Uhr"


def test_snippets_escape_release_markup(searcher, built_settings):
    hit = run_query(searcher, built_settings, "Formularen").hits[0]
    assert hit.snippet.startswith(
        "Forscher warnen vor <mark>Formularen</mark>, die &lt;script&gt;alert(1)&lt;/script&gt; ungeprüft"
    )
    assert "<script" not in hit.snippet and "<img" not in hit.snippet
    assert hit.title_html == "Warnung vor &lt;script&gt;alert(1)&lt;/script&gt; in <mark>Formularen</mark>"


def test_no_release_with_all_words_relaxes_and_says_so(searcher, built_settings):
    page = run_query(searcher, built_settings, "Lagerhalle Shenyang")
    assert [hit.id for hit in page.hits] == ["pressemeldung_portal", SAMPLE_ID]
    assert page.notes == ["Kein Treffer enthält alle Wörter; zuerst stehen die Treffer mit den meisten davon, "
                          "die ersten ohne „Shenyang“."]
    assert [(word.word, word.how) for word in page.hits[0].why] == [("Lagerhalle", "typed"), ("Shenyang", "missing")]
    assert [(word.word, word.how) for word in page.hits[1].why] == [("Lagerhalle", "missing"), ("Shenyang", "typed")]


def test_words_no_release_contains_are_left_out_and_named(searcher, built_settings):
    page = run_query(searcher, built_settings, "Lagerhalle Quantencomputer")
    assert [hit.id for hit in page.hits] == ["pressemeldung_portal"]
    assert page.notes == ["Kein Treffer für „Quantencomputer“; gesucht wurde ohne dieses Wort."]
    page = run_query(searcher, built_settings, "Unfall Quantencomputer Zauberlehrling")
    assert [hit.id for hit in page.hits] == ["unfall_singular", "unfaelle_plural"]
    assert page.notes == ["Kein Treffer für „Quantencomputer“, „Zauberlehrling“; gesucht wurde ohne diese Wörter."]


@pytest.mark.parametrize(
    ("query", "expected", "note"),
    [
        ("Lagerhale Brand", ["pressemeldung_portal"], "Ergebnisse für „Lagerhalle“ (statt „Lagerhale“)."),
        # Two neighbours swapped count as one edit.
        ("Lagrehalle Brand", ["pressemeldung_portal"], "Ergebnisse für „Lagerhalle“ (statt „Lagrehalle“)."),
        # Long words may be two edits off.
        ("Lagerhal Brand", ["pressemeldung_portal"], "Ergebnisse für „Lagerhalle“ (statt „Lagerhal“)."),
        ("Fusgänger", ["fussgaenger_alte_schreibung", "fussgaengerin_umschrift", "ots_dateline_ohne_titel"],
         "Ergebnisse für „Fußgänger“ (statt „Fusgänger“)."),
        ("Konferens Shenyang", [SAMPLE_ID], "Ergebnisse für „Konferenz“ (statt „Konferens“)."),
    ],
)
def test_typos_are_corrected_against_the_words_of_the_releases(searcher, built_settings, query, expected, note):
    page = run_query(searcher, built_settings, query)
    assert [hit.id for hit in page.hits] == expected
    assert page.notes == [note]


def test_paging(searcher, built_settings):
    page = run_query(searcher, built_settings, "Leuchtturm", page=2, limit=1)
    assert (page.total, page.page, page.page_count, [h.id for h in page.hits]) == (3, 2, 3, ["web_leuchtturm_fest"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Bitte geben Sie einen Suchbegriff ein."),
        ("  * ", "Bitte geben Sie einen Suchbegriff ein."),
        ("der und die", "Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder „und“ oder "
                        "Operatoren)."),
        ("-Unfall", "Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder „und“ oder "
                    "Operatoren)."),
        ("NICHT Unfall", "Bitte geben Sie neben ausgeschlossenen Wörtern (-wort) auch ein gesuchtes Wort ein."),
        ("AND", "Die Anfrage enthält nur Operatoren (AND, OR, NOT); bitte geben Sie Suchbegriffe ein."),
        ("(OR NOT)", "Die Anfrage enthält nur Operatoren (AND, OR, NOT); bitte geben Sie Suchbegriffe ein."),
    ],
)
def test_unusable_queries_raise_with_a_german_message(searcher, built_settings, query, message):
    with pytest.raises(QueryError) as raised:
        run_query(searcher, built_settings, query)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("query", "expected_ids", "notes"),
    [
        ('"Lagerhalle', ["pressemeldung_portal"], ["Ein einzelnes Anführungszeichen wurde ignoriert."]),
        ("((Lagerhalle", ["pressemeldung_portal"], ["Unvollständige Klammern wurden ignoriert."]),
        ("Lagerhalle))", ["pressemeldung_portal"], ["Unvollständige Klammern wurden ignoriert."]),
        ("+Lagerhalle", ["pressemeldung_portal"], []),
        ("Lagerhalle~2 titel:Höchst", ["pressemeldung_portal"],
         ["Platzhalter und Sonderzeichen (*, ~, ^) werden nicht unterstützt und wurden ignoriert."]),
        ("Lagerhalle* path:/etc feld:Höchst", ["pressemeldung_portal"],
         ["Nur die Suchfelder titel:, ort:, quelle: und datum: werden unterstützt; „path:“, „feld:“ wurden "
          "ignoriert.",
          "Kein Treffer für „etc“; gesucht wurde ohne dieses Wort."]),
        ("La* ~Lagerhalle", ["pressemeldung_portal"],  # a prefix needs three letters
         ["Platzhalter und Sonderzeichen (*, ~, ^) werden nicht unterstützt und wurden ignoriert.",
          "Kein Treffer für „La“; gesucht wurde ohne dieses Wort."]),
        ("Unfall datum:2019..2018", ["unfall_singular", "unfaelle_plural"],
         ["„datum:2019..2018“ ist kein lesbares Datum und wurde ignoriert (Beispiele: datum:2015, datum:März 2016, "
          "datum:11.09.2025, datum:2015-03..2015-06)."]),
    ],
)
def test_malformed_queries_are_relaxed_with_notes(searcher, built_settings, query, expected_ids, notes):
    page = run_query(searcher, built_settings, query)
    assert [hit.id for hit in page.hits] == expected_ids
    assert page.notes == notes


def test_overlong_queries_are_cut_and_reported(searcher, built_settings):
    page = run_query(searcher, built_settings, "Lagerhalle " + "x" * 10_000)
    assert page.notes[0] == "Die Anfrage war zu lang; gesucht wurde nur mit den ersten 10 Zeichen."
    assert [hit.id for hit in page.hits] == ["pressemeldung_portal"]
    many = " ".join(["Lagerhalle"] + [f"wort{i}" for i in range(40)])
    page = run_query(searcher, replace(built_settings, max_query_chars=1000), many)
    assert page.notes[0] == "Nur die ersten 16 Wörter wurden berücksichtigt."


@pytest.mark.parametrize(("page", "limit"), [(0, 10), (101, 10), (1, 0), (1, 101)])
def test_page_and_limit_are_bounded(searcher, built_settings, page, limit):
    with pytest.raises(QueryError):
        run_query(searcher, built_settings, "Leuchtturm", page=page, limit=limit)


def test_get_release_and_unknown_id(searcher):
    release = get_release(searcher, "ots_dateline_ohne_titel", now=NOW)
    assert release.place == "Frankfurt"
    assert release.date.isoformat() == "2018-05-02"
    with pytest.raises(ReleaseNotFoundError) as raised:
        get_release(searcher, "gibt_es_nicht", now=NOW)
    assert str(raised.value) == "Keine Meldung mit der Kennung „gibt_es_nicht“."


def test_mark_release_marks_query_words_but_not_excluded_ones(searcher, built_settings):
    release = get_release(searcher, SAMPLE_ID, now=NOW)
    marked = mark_release(searcher, built_settings, release, "Konferenzen -Internet")
    assert marked.paragraphs_html[0].startswith("Die Exchange-<mark>Konferenz</mark> 2025")
    assert "<mark>Internet" not in "".join(marked.paragraphs_html)
    unmarked = mark_release(searcher, built_settings, release, None)
    assert "<mark>" not in "".join(unmarked.paragraphs_html)
    second = unmarked.paragraphs_html[1]
    assert second.startswith("Als Hauptforum der „2025 Global Industrial Internet Conference&quot;")


def test_dates_that_exclude_each_other_are_named(searcher, built_settings):
    page = run_query(searcher, built_settings, "Unfall datum:2019 datum:2020")
    assert page.hits == []
    assert page.notes == ["Die Datumsangaben schließen einander aus."]


OUT_OF_TIME = ("Die Suche war zu aufwendig und wurde nach 1e-09 Sekunden abgebrochen; nicht mehr gesucht wurden "
               "ähnliche Schreibweisen, Treffer ohne die unbekannten Wörter und Treffer mit einigen der Wörter.")


def test_out_of_time_a_query_that_finds_nothing_is_not_corrected_and_says_so(searcher, built_settings):
    corrected = run_query(searcher, built_settings, "Konferentz Shenyang")
    assert corrected.total == 1 and corrected.notes == ["Ergebnisse für „Konferenz“ (statt „Konferentz“)."]
    hurried = run_query(searcher, replace(built_settings, search_seconds=1e-9), "Konferentz Shenyang")
    assert (hurried.total, hurried.hits, hurried.notes) == (0, [], [OUT_OF_TIME])


def test_out_of_time_every_count_is_still_exact(searcher, built_settings):
    # Each step finds all its matches: time can only stop the ladder, never a count or the order.
    hurried = run_query(searcher, replace(built_settings, search_seconds=1e-9), "Unfall", facets=True)
    usual = run_query(searcher, built_settings, "Unfall", facets=True)
    assert [hit.id for hit in hurried.hits] == [hit.id for hit in usual.hits] == ["unfall_singular", "unfaelle_plural"]
    assert (hurried.total, hurried.facets, hurried.notes) == (usual.total, usual.facets, []) == (2, usual.facets, [])


def test_reranking_the_best_hits_gives_the_one_pass_order_when_all_fit(searcher, built_settings):
    # Above `rerank_above` matches the proximity bonus re-orders only the best `rerank_depth` hits; with every match
    # among them, the order and the scores must be those of the single pass.
    one_pass = run_query(searcher, built_settings, "Hochwasser Elbe")
    always = replace(built_settings, weights=replace(built_settings.weights, rerank_above=0))
    reranked = run_query(searcher, always, "Hochwasser Elbe")
    assert [hit.id for hit in one_pass.hits] == ["web_hochwasser_warnung", "web_hochwasser_pegel"]
    assert [(hit.id, round(hit.score, 6)) for hit in reranked.hits] == [
        (hit.id, round(hit.score, 6)) for hit in one_pass.hits]
    shallow = replace(always, weights=replace(always.weights, rerank_depth=1))  # only the best hit is re-scored
    assert [hit.id for hit in run_query(searcher, shallow, "Hochwasser Elbe", limit=1).hits] == [
        "web_hochwasser_warnung"]


@pytest.mark.parametrize(("query", "message"), [
    ("datum:0000", "„datum:0000“ ist kein lesbares Datum (Beispiele: datum:2015, datum:März 2016, datum:11.09.2025, "
                   "datum:2015-03..2015-06)."),
    ('datum:"März 0000"', "„datum:März 0000“ ist kein lesbares Datum (Beispiele: datum:2015, datum:März 2016, "
                          "datum:11.09.2025, datum:2015-03..2015-06)."),
])
def test_a_year_zero_date_alone_is_a_clear_error(searcher, built_settings, query, message):
    with pytest.raises(QueryError) as raised:
        run_query(searcher, built_settings, query)
    assert str(raised.value) == message


def test_a_year_zero_among_the_words_is_read_as_a_word(searcher, built_settings):
    page = run_query(searcher, built_settings, "Unfall März 0000")
    assert "„März 0000“ wurde als Zeitangabe gelesen" not in " ".join(page.notes)
    assert [hit.id for hit in page.hits] == [hit.id for hit in run_query(searcher, built_settings, "Unfall März").hits]


LEUCHT_OR_HOCHW = ["web_leuchtturm_titel", "web_leuchtturm_fest", "web_hochwasser_pegel", "web_hochwasser_warnung",
                   "web_leuchtturm_fahrplan", "web_hochwasser_uebung", "web_hochwasser_deich", "000_9bbab4686f7edeba"]


@pytest.mark.parametrize(
    ("query", "expected_ids"),
    [
        # Rejected as "only operators": the word beginnings were taken out before the operators were looked at.
        ("Leucht* ODER Hochw*", LEUCHT_OR_HOCHW),
        ("Leucht* OR Hochw*", LEUCHT_OR_HOCHW),
        ("(Leucht* ODER Hochw*)", LEUCHT_OR_HOCHW),
        ("Hochw* NICHT Deich*", ["web_hochwasser_pegel", "web_hochwasser_warnung", "000_9bbab4686f7edeba"]),
        ("Leucht* NICHT Leuchtturm*", []),  # relaxing never drops an exclusion
        # Beginnings among words and operators: the ODER was read as a (stop) word, the minus was lost.
        ("Lagerhalle ODER Leucht*", ["pressemeldung_portal", "web_leuchtturm_titel", "web_leuchtturm_fest",
                                     "web_leuchtturm_fahrplan"]),
        ("Leucht* -Fest*", ["web_leuchtturm_titel", "web_leuchtturm_fest", "web_leuchtturm_fahrplan"]),
        # Relaxing (all words find nothing together) joined `NICHT Leuchtturm` by OR: every other release came back.
        ("Leuchtturm NICHT Leuchtturm", []),
    ],
)
def test_word_beginnings_joined_by_operators(searcher, built_settings, query, expected_ids):
    page = run_query(searcher, built_settings, query)
    assert [hit.id for hit in page.hits] == expected_ids
    assert page.notes == []


def test_only_excluded_word_beginnings_ask_for_a_wanted_word(searcher, built_settings):
    with pytest.raises(QueryError) as raised:
        run_query(searcher, built_settings, "NICHT Deich*")
    assert str(raised.value) == "Bitte geben Sie neben ausgeschlossenen Wörtern (-wort) auch ein gesuchtes Wort ein."


def test_release_parts_keep_paragraphs_whole_and_cut_long_ones_between_words():
    from search.query.reading import release_parts

    assert release_parts([], max_chars=10) == [[]]
    assert release_parts(["eins", "zwei", "drei"], max_chars=10) == [["eins", "zwei"], ["drei"]]
    assert release_parts(["ein sehr langer Absatz"], max_chars=10) == [["ein sehr"], ["langer"], ["Absatz"]]
    assert release_parts(["Donaudampfschiff"], max_chars=10) == [["Donaudampf"], ["schiff"]]


def built_from(tmp_path, releases):
    """Settings of an index built from `releases` (name → (title, text)), each dated by its name's length (so the
    order by date is fixed)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, (title, text) in releases.items():
        release = f" date 2024-05-0{len(name) % 9 + 1} {title}\n\n{text}\n\nQuelle: Polizei\n"
        (corpus / f"{name}.txt").write_text(release, encoding="utf-8")
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    build_index(settings)
    return settings


def test_without_all_words_releases_holding_more_of_them_come_first(tmp_path):
    # "Goldkette" is rare and stands three times in its release's title and text: by score over all the words it
    # outranks the release holding two of the three, which are common; by coverage it comes after it.
    settings = built_from(tmp_path, {
        "kette": ("Goldkette gestohlen", "Eine Goldkette wurde gestohlen. Die Goldkette war wertvoll."),
        "einbruch": ("Einbruch in Wohnung", "Nach einem Einbruch sucht die Polizei Zeugen."),
        "zeugen_nacht": ("Meldung", "Die Polizei sucht Zeugen nach einem Einbruch in der Nacht."),
        "zeugen_tag": ("Meldung", "Die Polizei sucht Zeugen nach einem Einbruch am Tag."),
        "nur_zeugen": ("Unfall", "Die Polizei sucht Zeugen eines Unfalls."),
    })
    with open_searcher(settings.index) as searcher:
        page = run_query(searcher, settings, "Zeugen Einbruch Goldkette Wohnung")
    assert [hit.id for hit in page.hits] == ["einbruch", "zeugen_tag", "zeugen_nacht", "kette", "nur_zeugen"]
    assert page.notes == ["Kein Treffer enthält alle Wörter; zuerst stehen die Treffer mit den meisten davon, "
                          "die ersten ohne „Goldkette“."]


def test_a_word_in_most_releases_does_not_count_towards_coverage(tmp_path):
    # "Polizei" is in 14 of 16 releases: holding it besides "Einbruch" does not put a release above the one holding
    # "Goldkette" three times; with every word counting (coverage_share 1.0) it would.
    settings = built_from(tmp_path, {
        "kette": ("Goldkette gestohlen", "Eine Goldkette wurde gestohlen. Die Goldkette war wertvoll."),
        "einbruch": ("Meldung", "Nach einem Einbruch ermittelt die Polizei."),
        **{f"polizei_{n:02}": (f"Meldung {n}", f"Die Polizei meldet {n} Unfälle.") for n in range(13)},
        "brand": ("Brand", "Die Feuerwehr löschte einen Brand."),
    })
    every_word = replace(settings, weights=replace(settings.weights, coverage_share=1.0))
    with open_searcher(settings.index) as searcher:
        assert ids(searcher, settings, "Polizei Einbruch Goldkette")[:2] == ["kette", "einbruch"]
        assert ids(searcher, every_word, "Polizei Einbruch Goldkette")[:2] == ["einbruch", "kette"]


def test_a_word_found_by_its_parts_is_shown_by_a_part_of_its_own(tmp_path):
    # Tanklaster splits into Tank + Last; Last also finds its synonym Lkw, which stands first in the text: the why
    # names the release's word holding one of Tanklaster's own parts.
    settings = built_from(tmp_path, {
        "lastzug": ("Lkw umgekippt", "Ein Lkw mit Tankauflieger ist umgekippt."),
        "fahrrad": ("Fahrrad umgekippt", "Ein Fahrrad ist umgekippt."),
    })
    with open_searcher(settings.index) as searcher:
        hit = run_query(searcher, settings, "Tanklaster umgekippt").hits[0]
    assert hit.id == "lastzug"
    assert [(word.word, word.how, word.found) for word in hit.why] == [("Tanklaster", "part", "Tankauflieger"),
                                                                       ("umgekippt", "typed", "")]


def test_a_separable_verb_finds_its_verb_standing_apart(tmp_path):
    # "kippte … um" for umgekippt, "griff … an" for angegriffen: the particle stands apart in a main clause.
    settings = built_from(tmp_path, {
        "lkw": ("Lkw auf der A5", "Auf der A5 kippte am Morgen ein Lkw um."),
        "mann": ("Mann in Bornheim", "In Bornheim griff ein Unbekannter einen Mann an."),
        "gefahr": ("Gefahr auf der A5", "Auf der A5 droht Gefahr durch einen Lkw."),
    })
    with open_searcher(settings.index) as searcher:
        page = run_query(searcher, settings, "Lkw umgekippt")
        assert [hit.id for hit in page.hits] == ["lkw"]
        assert [(word.word, word.how, word.found) for word in page.hits[0].why] == [
            ("Lkw", "typed", ""), ("umgekippt", "form", "kippte")]
        assert ids(searcher, settings, "Mann angegriffen") == ["mann"]
        # A participle alone is no finite form: angefahren does not search gefahren, Gefahr's stem.
        assert ids(searcher, settings, "Lkw angefahren") == ["lkw", "gefahr"]
