"""Place, release codes and the original link in the web app, over the web_* fixtures (see tests/test_web.py).

Four police releases serve these tests: web_polizei_bockenheim_code (Frankfurt, title `POL-F: 250314 - 0312
Bockenheim: …`, no `Ort:`, an https `URL:` on presseportal.de), web_polizei_britz_nummer (Berlin, `Nr. 0241`
before its headline, `Ort: Neukölln`), web_polizei_neukoelln_keller (Berlin, `Ort: Neukölln`) and
web_polizei_kreuzberg_ftp (Berlin, `Ort: Friedrichshain-Kreuzberg`, an ftp `URL:` that must not become a link). All
four say "Polizei"; no other web fixture does.
"""

from __future__ import annotations

import pytest

from tests.test_feed import ATOM, get_feed
from tests.test_search_page import api_ids, facets, title_ids
from tests.test_web import get_page

BOCKENHEIM = "web_polizei_bockenheim_code"
BRITZ = "web_polizei_britz_nummer"
KELLER = "web_polizei_neukoelln_keller"
KREUZBERG = "web_polizei_kreuzberg_ftp"
FRANKFURT = "Polizeipräsidium Frankfurt am Main (ots)"


# The place


def test_place_facet_counts_the_places_of_all_matches(client):
    _, body = get_page(client, "/?q=Polizei")
    # Neukölln from two `Ort:` lines; Bockenheim from the ots title, as the release has no `Ort:` line.
    assert facets(body)["Ort"] == [
        ("Neukölln 2", "/?q=Polizei&ort=Neuk%C3%B6lln"),
        ("Bockenheim 1", "/?q=Polizei&ort=Bockenheim"),
        ("Friedrichshain-Kreuzberg 1", "/?q=Polizei&ort=Friedrichshain-Kreuzberg"),
    ]
    assert client.get("/api/search?q=Polizei").json["facets"]["place"] == [
        {"value": "Neukölln", "count": 2},
        {"value": "Bockenheim", "count": 1},
        {"value": "Friedrichshain-Kreuzberg", "count": 1},
    ]


def test_place_facet_narrows_and_the_filter_is_kept_in_form_and_links(client):
    page, body = get_page(client, "/?q=Polizei&ort=Neuk%C3%B6lln")
    assert title_ids(page) == [KELLER, BRITZ]
    assert page.text(".summary").startswith("2 Treffer ·")
    assert page.texts(".chip") == ["Ort: Neukölln – Filter entfernen ×"]
    assert [a["href"] for a in page.elements("a") if a.get("class") == "chip"] == ["/?q=Polizei"]
    places = page.part('ul[aria-labelledby="facette-ort"]')
    assert [(a["href"], a.get("aria-current")) for a in places.elements("a")] == [
        ("/?q=Polizei&ort=Neuk%C3%B6lln", "true")
    ]
    # The issuer facet and the new-search form keep the place; the filter form shows it.
    assert facets(body)["Herausgeber"] == [("Polizei Berlin 2", "/?q=Polizei&quelle=Polizei+Berlin&ort=Neuk%C3%B6lln")]
    assert {"type": "hidden", "name": "ort", "value": "Neukölln"} in page.part("form.search-form").elements("input")
    assert page.part("form.filter-form").elements("#ort") == [
        {"type": "text", "id": "ort", "name": "ort", "value": "Neukölln", "maxlength": "300"}
    ]
    # The page's feed link carries it too, and so does the API's `place`.
    assert page.part(".feed-link").hrefs("/feed") == ["/feed?q=Polizei&ort=Neuk%C3%B6lln"]
    assert api_ids(client, q="Polizei", place="Neukölln") == [KELLER, BRITZ]


def test_place_filter_without_words_lists_the_place_newest_first(client):
    page, _ = get_page(client, "/?ort=Friedrichshain-Kreuzberg")
    assert title_ids(page) == [KREUZBERG]
    page, _ = get_page(client, "/?ort=Kreuzberg")  # the place as the facet names it, not a part of it
    assert title_ids(page) == []
    feed = get_feed(client, "/feed?ort=Neuk%C3%B6lln")
    assert feed.findtext(f"{ATOM}title") == "Pressemitteilungen: Ort: Neukölln"
    assert [e.findtext(f"{ATOM}id", "").rsplit("/", 1)[1] for e in feed.findall(f"{ATOM}entry")] == [KELLER, BRITZ]


@pytest.mark.parametrize(("query", "ids"), [
    ("ort:Neukölln", [BRITZ, KELLER]),
    ("ort:Bockenheim", [BOCKENHEIM]),  # from the ots title
    ("ort:Kreuzberg", [KREUZBERG]),  # a part of the place, by words
    ("ort:Kreuzberg Fahrradschloss", [KREUZBERG]),
    ("ort:Musterstadt", ["web_konferenz_radwege"]),  # from the ots dateline
])
def test_ort_searches_the_place(client, query, ids):
    assert api_ids(client, q=query) == ids


def test_hits_show_place_and_code(client):
    page, _ = get_page(client, "/?q=Geldbörse")
    assert page.texts(".hit-title") == ["Geldbörse aus Einkaufstasche gezogen"]
    assert page.texts(".hit-meta") == [f"14.03.2025 · {FRANKFURT} · Bockenheim POL-F: 250314 - 0312"]
    assert page.texts(".hit-meta .code") == ["POL-F: 250314 - 0312"]
    assert page.texts(".hit-meta .place") == ["Bockenheim"]
    page, _ = get_page(client, "/?q=Fahrradschloss")
    assert page.texts(".hit-meta") == ["02.11.2024 · Polizei Berlin · Friedrichshain-Kreuzberg"]
    assert page.elements(".code") == []


def test_json_gives_the_code_its_own_field(client):
    [hit] = client.get("/api/search?q=Geldbörse").json["hits"]
    assert (hit["title"], hit["code"], hit["place"], hit["url"]) == (
        "Geldbörse aus Einkaufstasche gezogen", "POL-F: 250314 - 0312", "Bockenheim",
        "https://www.presseportal.de/blaulicht/pm/4970/7000312")
    release = client.get(f"/api/release/{BRITZ}").json
    assert (release["title"], release["code"], release["place"]) == (
        "Nr. 0241 Lieferwagen beschädigt Ampel in Britz", "Nr. 0241", "Neukölln")


# Release codes typed into the box


@pytest.mark.parametrize("typed", [
    "POL-F: 250314 - 0312", "250314 - 0312", "250314-312", "250314 – 0312 Geldbörse", "Nr. 0312",
])
def test_a_typed_ots_code_finds_its_release(client, typed):
    data = client.get("/api/search", query_string={"q": typed}).json
    assert ([hit["id"] for hit in data["hits"]], data["notes"]) == ([BOCKENHEIM], [])


def test_a_typed_release_number_finds_its_release(client):
    page, _ = get_page(client, "/?q=Nr.+0241")
    assert title_ids(page) == [BRITZ]
    assert api_ids(client, q="nr 241 Britz") == [BRITZ]


def test_a_code_no_release_has_says_so(client):
    data = client.get("/api/search", query_string={"q": "250314 - 0999"}).json
    assert (data["total"], data["notes"]) == (0, ["Keine Meldung trägt die Nummer „250314 - 0999“."])
    # With other words, those are searched.
    data = client.get("/api/search", query_string={"q": "Nr. 0999 Kellerabteile"}).json
    assert ([hit["id"] for hit in data["hits"]], data["notes"]) == (
        [KELLER], ["Keine Meldung trägt die Nummer „Nr. 0999“."])


# The release page and the original


def test_release_page_shows_code_place_and_the_original_by_its_host(client):
    page, body = get_page(client, f"/release/{BOCKENHEIM}")
    assert page.texts(".code-line") == ["POL-F: 250314 - 0312"]
    assert page.texts("h1") == ["Geldbörse aus Einkaufstasche gezogen"]
    assert page.texts("title") == ["Geldbörse aus Einkaufstasche gezogen – Pressemitteilungen"]
    assert list(zip(page.texts("dt"), page.texts("dd"), strict=True)) == [
        ("Datum", "14.03.2025"),
        ("Herausgeber", FRANKFURT),
        ("Ort", "Bockenheim"),
        ("Quelle", "Original bei presseportal.de"),
    ]
    assert [a for a in page.elements("a") if a["href"].startswith("http")] == [
        {"href": "https://www.presseportal.de/blaulicht/pm/4970/7000312", "rel": "noopener noreferrer"}
    ]
    page, _ = get_page(client, f"/release/{BRITZ}")
    assert page.part("dl.release-meta").texts("a") == ["Original bei berlin.de"]


def test_an_original_that_is_not_http_is_neither_linked_nor_named(client):
    page, body = get_page(client, f"/release/{KREUZBERG}")
    assert list(zip(page.texts("dt"), page.texts("dd"), strict=True)) == [
        ("Datum", "02.11.2024"),
        ("Herausgeber", "Polizei Berlin"),
        ("Ort", "Friedrichshain-Kreuzberg"),
    ]
    assert "ftp:" not in body and "Original" not in body
    assert "ftp:" not in client.get(f"/release/{KREUZBERG}/zitat.txt").get_data(as_text=True)
    assert client.get(f"/api/release/{KREUZBERG}").json["url"] == ""


def test_citation_names_the_original_by_its_host(client):
    text = client.get(f"/release/{BOCKENHEIM}/zitat.txt").get_data(as_text=True)
    assert text.splitlines()[:7] == [
        "POL-F: 250314 - 0312 Bockenheim: Geldbörse aus Einkaufstasche gezogen",
        "",
        f"Herausgeber: {FRANKFURT}",
        "Datum: 14.03.2025",
        "Ort: Bockenheim",
        "Original bei presseportal.de: https://www.presseportal.de/blaulicht/pm/4970/7000312",
        "Permalink: http://localhost/release/web_polizei_bockenheim_code",
    ]


def test_atom_entries_link_the_original(client):
    feed = get_feed(client, "/feed?q=Polizei")
    links = {
        entry.findtext(f"{ATOM}id", "").rsplit("/", 1)[1]: [link.attrib for link in entry.findall(f"{ATOM}link")]
        for entry in feed.findall(f"{ATOM}entry")
    }
    assert links[BOCKENHEIM][1] == {"rel": "related", "type": "text/html",
                                  "href": "https://www.presseportal.de/blaulicht/pm/4970/7000312",
                                  "title": "Original bei presseportal.de"}
    assert links[BRITZ][1]["title"] == "Original bei berlin.de"
    assert [link["rel"] for link in links[KREUZBERG]] == ["alternate"]  # ftp is not linked
