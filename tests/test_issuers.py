"""The issuers of an index (counts, newest release), a typed part of a name resolved, the choice on the search page
and the overview at /quellen. Over the web_* fixtures (see tests/test_search_page.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from search import Settings, issuer_table, match_issuer
from tests.conftest import open_searcher
from tests.test_embargo import BEFORE, ENDS, embargo_searcher, embargo_settings  # noqa: F401 (fixtures)
from tests.test_search_page import title_ids
from tests.test_web import Page, get_page

# Every issuer of the web fixtures: name, count (the warning and its update are one release), newest release.
ISSUERS = [
    ("Fährgesellschaft Nordkap", 1, "web_leuchtturm_fahrplan", "2025-08-30"),
    ("Hafenamt Nordkap", 1, "web_leuchtturm_titel", "2025-06-02"),
    ("Institut für <b>Websicherheit</b>", 1, "web_xss_formulare", "2024-02-29"),
    ("Landkreis Elbtal", 2, "web_hochwasser_uebung", "2024-05-20"),
    ("Polizei Berlin", 3, "web_polizei_neukoelln_keller", "2025-03-16"),
    ("Polizeipräsidium Frankfurt am Main (ots)", 1, "web_polizei_bockenheim_code", "2025-03-14"),
    ("Stadt Musterstadt", 1, "web_konferenz_radwege", "2025-09-11"),
    ("Stadtbibliothek Musterstadt", 1, "web_ohne_datum", None),
    ("Tourismusverein Nordkap", 1, "web_leuchtturm_fest", "2025-07-14"),
    ("Wasserwirtschaftsamt Elbtal", 2, "web_hochwasser_pegel", "2025-02-03"),
]
NAMES = [name for name, *_ in ISSUERS]
NOW = datetime(2026, 1, 1, tzinfo=UTC).timestamp()


def test_the_table_lists_every_issuer_with_its_count_and_newest_release(web_settings: Settings):
    with open_searcher(web_settings.index) as searcher:
        table = issuer_table(searcher, now=NOW)
        assert [(i.name, i.count, i.newest_id, i.newest_date and i.newest_date.isoformat())
                for i in table.issuers] == ISSUERS
        assert table.last_day is not None and table.last_day.isoformat() == "2025-09-11"
        assert issuer_table(searcher, now=NOW + 60) is table  # made once per searcher


def test_an_embargoed_release_counts_for_no_issuer_until_its_time(embargo_searcher):  # noqa: F811
    def rows(now: float) -> list[tuple[str, int, str]]:
        table = issuer_table(embargo_searcher, now=now)
        return [(i.name, i.count, i.newest_date.isoformat() if i.newest_date else "") for i in table.issuers]

    # Before 12.05.2025 10:00 Berlin the Verkehrsverbund's only release is hidden, and so are three of the
    # Stadtwerke's (one is a version of the Linie 7 release, which counts once either way).
    assert rows(BEFORE) == [("Stadtwerke Nordkap", 2, "2025-05-05"), ("Tiefbauamt Nordkap", 1, "2025-05-06")]
    # The table made before is not kept past the embargo's end.
    assert rows(ENDS) == [("Stadtwerke Nordkap", 4, "2025-05-12"), ("Tiefbauamt Nordkap", 1, "2025-05-06"),
                          ("Verkehrsverbund Nordkap", 1, "2025-05-12")]


@pytest.mark.parametrize(("typed", "name", "candidates", "ambiguous"), [
    ("Landkreis Elbtal", "Landkreis Elbtal", (), False),
    ("landkreis  ELBTAL", "Landkreis Elbtal", (), False),
    ("wasser", "Wasserwirtschaftsamt Elbtal", (), False),
    # Each word a part of the name, in any order.
    ("nordkap tourismus", "Tourismusverein Nordkap", (), False),
    ("elbtal", None, ("Landkreis Elbtal", "Wasserwirtschaftsamt Elbtal"), True),
    ("Nordkap", None, ("Fährgesellschaft Nordkap", "Hafenamt Nordkap", "Tourismusverein Nordkap"), True),
    # No name contains it: the closest names, best first.
    ("Hafenamt Nordkapp", None, ("Hafenamt Nordkap", "Fährgesellschaft Nordkap", "Tourismusverein Nordkap"), False),
    ("Wasserwirtschaftsamt Elbetal", None, ("Wasserwirtschaftsamt Elbtal", "Landkreis Elbtal"), False),
    ("Zeppelinwerft", None, (), False),
])
def test_a_typed_issuer_is_matched_by_a_unique_part(typed, name, candidates, ambiguous):
    match = match_issuer(NAMES, typed)
    assert (match.name, match.candidates, match.ambiguous) == (name, candidates, ambiguous)


def test_the_filter_form_offers_every_issuer_with_its_count(client):
    page, _ = get_page(client, "/?q=Hochwasser")
    # (The count's brackets are drawn by the stylesheet.)
    assert page.part("#quelle").root["list"] == "herausgeber-liste"
    options = page.part("datalist#herausgeber-liste")
    assert [(o["value"], text) for o, text in zip(options.elements("option"), options.texts("option"),
                                                  strict=True)] == [
        (name, f"{name} ({count})") for name, count, *_ in ISSUERS]


def test_a_unique_part_of_an_issuer_searches_under_its_full_name(client):
    page, _ = get_page(client, "/?q=Hochwasser&quelle=wasserwirtschaft")
    assert title_ids(page) == ["web_hochwasser_warnung", "web_hochwasser_pegel"]
    assert page.text(".issuer-found") == (
        "Herausgeber „wasserwirtschaft“: gesucht wird in „Wasserwirtschaftsamt Elbtal“.")
    assert page.texts(".chip") == ["Herausgeber: Wasserwirtschaftsamt Elbtal – Filter entfernen ×"]
    assert page.part("#quelle").root["value"] == "Wasserwirtschaftsamt Elbtal"
    # Links onward carry the full name.
    assert page.part(".feed-link").hrefs() == ["/feed?q=Hochwasser&quelle=Wasserwirtschaftsamt+Elbtal"]


def test_an_ambiguous_part_says_which_issuers_it_could_be(client):
    page, _ = get_page(client, "/?q=Leuchtturm&quelle=nordkap")
    assert page.hit_ids() == []
    choice = page.part(".issuer-choice")
    assert choice.texts("p") == ["„nordkap“ passt auf 3 Herausgeber. Mit Treffern für diese Suche:"]
    # Most hits first; each link finds what it counts.
    assert list(zip(choice.texts("li"), choice.hrefs(), strict=True)) == [
        ("Fährgesellschaft Nordkap 1 Treffer", "/?q=Leuchtturm&quelle=F%C3%A4hrgesellschaft+Nordkap"),
        ("Hafenamt Nordkap 1 Treffer", "/?q=Leuchtturm&quelle=Hafenamt+Nordkap"),
        ("Tourismusverein Nordkap 1 Treffer", "/?q=Leuchtturm&quelle=Tourismusverein+Nordkap"),
    ]
    # The form keeps what was typed, to be corrected in place.
    assert page.part("#quelle").root["value"] == "nordkap"


def test_issuers_without_hits_for_the_search_are_named_but_not_linked(client):
    page, _ = get_page(client, "/?q=Deich&quelle=elbtal")
    choice = page.part(".issuer-choice")
    assert choice.texts("li") == ["Landkreis Elbtal 2 Treffer"]
    assert choice.text(".no-hits") == "Ohne Treffer für diese Suche: Wasserwirtschaftsamt Elbtal."


def test_an_unknown_issuer_names_the_closest_ones_that_find_something(client):
    page, _ = get_page(client, "/?q=Hochwasser&quelle=Wasserwirtschaftsamt+Elbetal")
    assert page.text(".empty") == "Keine Treffer für „Hochwasser“ mit den gewählten Filtern."
    closest = page.part(".closest-issuers")
    # "Landkreis Elbtal" is close too, and has Hochwasser releases; both are offered with their counts.
    assert list(zip(closest.texts("li"), closest.hrefs(), strict=True)) == [
        ("Wasserwirtschaftsamt Elbtal 2 Treffer", "/?q=Hochwasser&quelle=Wasserwirtschaftsamt+Elbtal"),
        ("Landkreis Elbtal 2 Treffer", "/?q=Hochwasser&quelle=Landkreis+Elbtal"),
    ]
    # A close issuer without hits for the words is not offered.
    page, _ = get_page(client, "/?q=Leuchtturm&quelle=Hafenamt+Nordkapp")
    assert page.part(".closest-issuers").texts("li") == ["Hafenamt Nordkap 1 Treffer",
                                                         "Fährgesellschaft Nordkap 1 Treffer",
                                                         "Tourismusverein Nordkap 1 Treffer"]


def test_the_overview_lists_every_issuer_with_count_newest_release_and_feed(client):
    page, body = get_page(client, "/quellen")
    rows = page.root.select("table.issuers tbody tr")
    assert [[" ".join(cell.get_text().split()) for cell in row.find_all(["th", "td"])][:3] for row in rows] == [
        [name, str(count), newest_title(client, newest) + (f" · {day[8:]}.{day[5:7]}.{day[:4]}" if day else "")]
        for name, count, newest, day in ISSUERS]
    first = Page(rows[0])
    assert first.hrefs() == [
        "/?quelle=F%C3%A4hrgesellschaft+Nordkap&sortierung=datum",
        "/release/web_leuchtturm_fahrplan",
        "/feed?quelle=F%C3%A4hrgesellschaft+Nordkap",
    ]
    # The issuer named with markup is shown as text.
    assert "<b>Websicherheit</b>" not in body and "&lt;b&gt;Websicherheit&lt;/b&gt;" in body
    # The search page links to it.
    start, _ = get_page(client, "/")
    assert "/quellen" in start.hrefs()


def newest_title(client, release_id: str) -> str:
    """The headline and code label as a hit shows them: the code apart from the title it began."""
    release = client.get(f"/api/release/{release_id}").json
    if not release["code"]:
        return release["title"]
    return release["title"].removeprefix(release["code"]).lstrip(" :-") + " " + release["code"]
