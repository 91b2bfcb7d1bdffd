"""Filters, facets, sorting, paging and folded versions on the result page and the API; the release page's extras.

The index holds the web_* fixtures (see tests/test_web.py). Five of them mention "Hochwasser":
  web_hochwasser_deich     2023-03-10  Landkreis Elbtal
  web_hochwasser_uebung    2024-05-20  Landkreis Elbtal             (URL: javascript:…, never linked)
  web_hochwasser_warnung   2025-01-15  Wasserwirtschaftsamt Elbtal  (URL: https://…)
  web_hochwasser_warnung_neu 2025-01-16 Wasserwirtschaftsamt Elbtal, "Fassung von: web_hochwasser_warnung"
  web_hochwasser_pegel     2025-02-03  Wasserwirtschaftsamt Elbtal  (URL: https://… with a query string)
The two warnings are one release in two versions, so a search shows four hits, the best version of the pair with
"1 weitere Fassung". Two more releases are dated 2024 or 2025 without the word: web_xss_formulare (2024-02-29) and
the Leuchtturm and Konferenz releases (2025).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from bs4 import Tag

from tests.test_web import Page, get_page

# By relevance: the warning (Hochwasser in title and body) first, then the release with it in title and body but
# a longer text, then the two that mention it once.
BY_RELEVANCE = ["web_hochwasser_warnung", "web_hochwasser_pegel", "web_hochwasser_deich", "web_hochwasser_uebung"]
# Newest first; the newer version of the warning stands for the pair.
BY_DATE = ["web_hochwasser_pegel", "web_hochwasser_warnung_neu", "web_hochwasser_uebung", "web_hochwasser_deich"]
WWA = "Wasserwirtschaftsamt Elbtal"


def title_ids(page: Page) -> list[str]:
    return [a["href"].split("?")[0].removeprefix("/release/") for a in page_title_links(page)]


def page_title_links(page: Page) -> list[dict[str, str]]:
    # The link in each h3.hit-title; version links sit in <details> below the snippet.
    return page.elements("h3.hit-title a")


def facets(body: str) -> dict[str, list[tuple[str, str]]]:
    """Facet heading → [(link text, href)] from the facet column: the links after each heading up to the next."""
    found: dict[str, list[tuple[str, str]]] = {}
    for heading in Page(body).root.select("section.facets h3"):
        links: list[Tag] = []
        for sibling in heading.find_next_siblings():
            if sibling.name == "h3":
                break
            links += sibling.select("a[href]")
        found[" ".join(heading.get_text().split())] = [(" ".join(a.get_text().split()), str(a["href"])) for a in links]
    return found


def api_ids(client, **params) -> list[str]:
    response = client.get("/api/search", query_string=params)
    assert response.status_code == 200, response.json
    return [hit["id"] for hit in response.json["hits"]]


# Sorting


def test_relevance_is_the_default_and_versions_are_folded(client):
    page, body = get_page(client, "/?q=Hochwasser")
    assert title_ids(page) == BY_RELEVANCE
    assert page.text(".summary").startswith("4 Treffer ·")
    assert page.texts(".versions") == [
        "1 weitere Fassung Warnung vor Hochwasser an der Elbe (aktualisiert) · 16.01.2025"
    ]
    details = page.part("details.versions")
    assert details.hrefs("/release/") == ["/release/web_hochwasser_warnung_neu?q=Hochwasser"]
    assert page.text(".sort") == "Sortierung: Relevanz · Neueste zuerst"
    assert [a["href"] for a in page.part("p.sort").elements("a")] == [
        "/?q=Hochwasser&sortierung=datum"
    ]


def test_newest_first_shows_the_newest_version(client):
    page, body = get_page(client, "/?q=Hochwasser&sortierung=datum")
    assert title_ids(page) == BY_DATE
    assert page.texts(".versions") == ["1 weitere Fassung Warnung vor Hochwasser an der Elbe · 15.01.2025"]
    assert [a["href"] for a in page.part("p.sort").elements("a")] == ["/?q=Hochwasser"]
    assert page.part("p.sort").texts("strong") == ["Neueste zuerst"]
    assert api_ids(client, q="Hochwasser", sort="date") == BY_DATE
    assert api_ids(client, q="Hochwasser", sort="relevance") == BY_RELEVANCE


def test_filters_and_sort_survive_a_new_search(client):
    page, _ = get_page(client, "/?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum")
    form = page.elements("input")
    assert [(i.get("type"), i["name"], i.get("value")) for i in form[:3]] == [
        ("search", "q", "Hochwasser"),
        ("hidden", "quelle", "Landkreis Elbtal"),
        ("hidden", "sortierung", "datum"),
    ]


# Filters and facets


def test_facets_count_issuers_and_years_of_all_matches(client):
    _, body = get_page(client, "/?q=Hochwasser")
    found = facets(body)
    # Counted like the total: the warning and its update are one release. Equal counts go by name.
    assert found["Herausgeber"] == [
        ("Landkreis Elbtal 2", "/?q=Hochwasser&quelle=Landkreis+Elbtal"),
        (f"{WWA} 2", "/?q=Hochwasser&quelle=Wasserwirtschaftsamt+Elbtal"),
    ]
    assert found["Jahr"] == [
        ("2025 2", "/?q=Hochwasser&von=2025-01-01&bis=2025-12-31"),
        ("2024 1", "/?q=Hochwasser&von=2024-01-01&bis=2024-12-31"),
        ("2023 1", "/?q=Hochwasser&von=2023-01-01&bis=2023-12-31"),
    ]


def test_quick_date_choices_count_back_from_today(client):
    _, body = get_page(client, "/?q=Hochwasser&sortierung=datum")
    today = date.today()
    assert facets(body)["Zeitraum"] == [
        ("Letzte 7 Tage", f"/?q=Hochwasser&von={today - timedelta(days=6)}&sortierung=datum"),
        ("Letzte 30 Tage", f"/?q=Hochwasser&von={today - timedelta(days=29)}&sortierung=datum"),
        ("Dieses Jahr", f"/?q=Hochwasser&von={today.year}-01-01&sortierung=datum"),
    ]


def test_issuer_facet_narrows_and_shows_a_removable_chip(client):
    page, body = get_page(client, "/?q=Hochwasser&quelle=Landkreis+Elbtal")
    assert title_ids(page) == ["web_hochwasser_deich", "web_hochwasser_uebung"]
    assert page.text(".summary").startswith("2 Treffer ·")
    assert page.texts(".chip") == ["Herausgeber: Landkreis Elbtal – Filter entfernen ×"]
    assert [a["href"] for a in page.elements("a") if a.get("class") == "chip"] == ["/?q=Hochwasser"]
    # The facets now count within the filter, and the applied value is marked.
    assert facets(body)["Herausgeber"] == [("Landkreis Elbtal 2", "/?q=Hochwasser&quelle=Landkreis+Elbtal")]
    issuers = page.part('ul[aria-labelledby="facette-quelle"]')
    assert [a.get("aria-current") for a in issuers.elements("a")] == ["true"]
    assert api_ids(client, q="Hochwasser", source="Landkreis Elbtal") == title_ids(page)


def test_year_facet_sets_both_dates_and_is_one_chip(client):
    page, body = get_page(client, "/?q=Hochwasser&von=2025-01-01&bis=2025-12-31")
    assert title_ids(page) == ["web_hochwasser_warnung", "web_hochwasser_pegel"]
    assert page.texts(".chip") == ["Jahr 2025 – Filter entfernen ×"]
    assert facets(body)["Jahr"] == [("2025 2", "/?q=Hochwasser&von=2025-01-01&bis=2025-12-31")]
    assert [e.get("value") for e in page.elements("input") if e.get("type") == "date"] == ["2025-01-01", "2025-12-31"]


def test_date_range_is_inclusive_and_each_end_is_a_chip(client):
    url = "/?q=Hochwasser&von=2025-01-16&bis=2025-02-03&quelle=Wasserwirtschaftsamt+Elbtal&sortierung=datum"
    page, _ = get_page(client, url)
    assert title_ids(page) == ["web_hochwasser_pegel", "web_hochwasser_warnung_neu"]
    assert list(zip(page.texts(".chip"), [a["href"] for a in page.elements("a") if a.get("class") == "chip"],
                    strict=True)) == [
        ("ab 16.01.2025 – Filter entfernen ×",
         "/?q=Hochwasser&bis=2025-02-03&quelle=Wasserwirtschaftsamt+Elbtal&sortierung=datum"),
        ("bis 03.02.2025 – Filter entfernen ×",
         "/?q=Hochwasser&von=2025-01-16&quelle=Wasserwirtschaftsamt+Elbtal&sortierung=datum"),
        (f"Herausgeber: {WWA} – Filter entfernen ×", "/?q=Hochwasser&von=2025-01-16&bis=2025-02-03&sortierung=datum"),
    ]
    assert api_ids(client, q="Hochwasser", to="2025-01-15") == ["web_hochwasser_warnung", "web_hochwasser_deich",
                                                                "web_hochwasser_uebung"]


def test_filters_without_words_list_releases_newest_first(client):
    page, body = get_page(client, "/?von=2024-01-01&bis=2024-12-31")
    assert title_ids(page) == ["web_polizei_kreuzberg_ftp", "web_hochwasser_uebung", "web_xss_formulare"]
    assert page.text(".sort") == "Sortierung: Neueste zuerst"  # without words there is no relevance to sort by
    assert api_ids(client, **{"from": "2024-01-01", "to": "2024-12-31"}) == title_ids(page)
    assert facets(body)["Herausgeber"][0] == ("Institut für <b>Websicherheit</b> 1",
                                              "/?von=2024-01-01&bis=2024-12-31&quelle=Institut+f%C3%BCr+%3Cb%3E"
                                              "Websicherheit%3C/b%3E")
    assert page.elements("b") == []


def test_start_page_offers_the_newest_releases(client):
    page, _ = get_page(client, "/")
    assert page.hrefs("/?") == ["/?sortierung=datum"]
    page, _ = get_page(client, "/?sortierung=datum")
    assert title_ids(page) == [
        "web_konferenz_radwege", "web_leuchtturm_fahrplan", "web_leuchtturm_fest", "web_leuchtturm_titel",
        "web_polizei_neukoelln_keller", "web_polizei_britz_nummer", "web_polizei_bockenheim_code",
        "web_hochwasser_pegel", "web_hochwasser_warnung_neu", "web_polizei_kreuzberg_ftp",
    ]


def test_empty_result_suggests_dropping_the_filters(client):
    page, _ = get_page(client, "/?q=Hochwasser&quelle=Hafenamt+Nordkap&von=2025-01-01")
    assert page.text(".empty") == "Keine Treffer für „Hochwasser“ mit den gewählten Filtern."
    assert page.text(".relax") == "Ohne Filter suchen"
    assert [a["href"] for a in page.elements("a") if a["href"].startswith("/?q=Hochwasser") and "von" not in
            a["href"] and "quelle" not in a["href"]] == ["/?q=Hochwasser"]
    page, _ = get_page(client, "/?quelle=Niemand")
    assert page.text(".empty") == "Keine Meldungen mit den gewählten Filtern."


def test_paging_keeps_filters_and_sort(make_app):
    client = make_app(page_size=2).test_client()
    page, body = get_page(client, "/?q=Hochwasser&sortierung=datum")
    assert title_ids(page) == BY_DATE[:2]
    assert page.part("nav.pagination").hrefs("/?") == [
        "/?q=Hochwasser&sortierung=datum&page=1",
        "/?q=Hochwasser&sortierung=datum&page=2",
        "/?q=Hochwasser&sortierung=datum&page=2",
    ]
    page, _ = get_page(client, "/?q=Hochwasser&sortierung=datum&page=2")
    assert title_ids(page) == BY_DATE[2:]
    assert api_ids(client, q="Hochwasser", sort="date", page=2) == BY_DATE[2:]
    page, _ = get_page(client, "/?q=Hochwasser&sortierung=datum&page=3")
    assert page.text(".empty") == "Auf Seite 3 ist nichts mehr. Zur ersten Seite"


def test_a_facet_link_changes_the_search_and_starts_on_page_one(make_app):
    client = make_app(page_size=2).test_client()
    _, body = get_page(client, "/?q=Hochwasser&page=2")
    assert facets(body)["Herausgeber"][0][1] == "/?q=Hochwasser&quelle=Landkreis+Elbtal"


# The API speaks English, the page German; both mean the same search.


@pytest.mark.parametrize(
    ("page_args", "api_args"),
    [
        ({"q": "Hochwasser"}, {"q": "Hochwasser"}),
        ({"q": "Hochwasser", "sortierung": "datum"}, {"q": "Hochwasser", "sort": "date"}),
        (
            {"q": "Hochwasser", "quelle": WWA, "von": "2025-01-16"},
            {"q": "Hochwasser", "source": WWA, "from": "2025-01-16"},
        ),
        ({"bis": "2024-03-01"}, {"to": "2024-03-01"}),
        ({"q": "Elbe", "sortierung": "relevanz"}, {"q": "Elbe", "sort": "relevance"}),
    ],
)
def test_page_and_api_parameters_mean_the_same_search(client, page_args, api_args):
    page, _ = get_page(client, "/", query_string=page_args)
    response = client.get("/api/search", query_string=api_args)
    assert [hit["id"] for hit in response.json["hits"]] == title_ids(page)
    assert page.text(".summary").startswith(f"{response.json['total']} Treffer")


def test_api_returns_facets_and_versions(client):
    data = client.get("/api/search?q=Hochwasser&limit=1").json
    assert data["facets"] == {
        "source": [{"value": "Landkreis Elbtal", "count": 2}, {"value": WWA, "count": 2}],
        "year": [{"value": "2025", "count": 2}, {"value": "2024", "count": 1}, {"value": "2023", "count": 1}],
        "place": [],
    }
    assert [(h["id"], h["versions"]) for h in data["hits"]] == [
        ("web_hochwasser_warnung",
         [{"id": "web_hochwasser_warnung_neu", "title": "Warnung vor Hochwasser an der Elbe (aktualisiert)",
           "date": "2025-01-16"}])
    ]
    assert (data["total"], data["notes"]) == (4, [])


DATE_HINT = "bitte im Format JJJJ-MM-TT angeben, z. B. 2025-01-31."


@pytest.mark.parametrize(
    ("page_query", "api_query", "message"),
    [
        ("von=2025-02-30", "from=2025-02-30", "„2025-02-30“ ist kein gültiges Datum für „{from}“; " + DATE_HINT),
        ("bis=31.12.2025", "to=31.12.2025", "„31.12.2025“ ist kein gültiges Datum für „{to}“; " + DATE_HINT),
        ("von=20250101", "from=20250101", "„20250101“ ist kein gültiges Datum für „{from}“; " + DATE_HINT),
        ("von=2025-03-01&bis=2025-02-01", "from=2025-03-01&to=2025-02-01",
         "Der Zeitraum ist leer: „{from}“ (2025-03-01) liegt nach „{to}“ (2025-02-01)."),
        ("sortierung=neu", "sort=neu", "Die Sortierung „neu“ gibt es nicht; möglich sind {sorts}."),
        ("sortierung=date", "sort=datum", None),
    ],
)
def test_bad_filters_and_sorts_are_a_german_400(client, page_query, api_query, message):
    page_names = {"from": "von", "to": "bis", "sorts": "„relevanz“ und „datum“"}
    api_names = {"from": "from", "to": "to", "sorts": "„relevance“ und „date“"}
    html, _ = get_page(client, "/?q=Hochwasser&" + page_query, status=400)
    response = client.get("/api/search?q=Hochwasser&" + api_query)
    if message is None:  # one language's sort value is not accepted by the other
        value_page, value_api = page_query.split("=")[1], api_query.split("=")[1]
        page_message = f"Die Sortierung „{value_page}“ gibt es nicht; möglich sind „relevanz“ und „datum“."
        api_message = f"Die Sortierung „{value_api}“ gibt es nicht; möglich sind „relevance“ und „date“."
    else:
        page_message, api_message = message.format(**page_names), message.format(**api_names)
    assert html.text(".error") == page_message
    assert html.elements("input")[0]["value"] == "Hochwasser"
    assert (response.status_code, response.json) == (400, {"error": api_message})


def test_hostile_filter_values_are_escaped(client):
    hostile = '"><script>alert(1)</script>'
    page, body = get_page(client, "/", query_string={"q": "Hochwasser", "quelle": hostile})
    assert page.texts(".chip") == [f"Herausgeber: {hostile} – Filter entfernen ×"]
    assert page.elements("script") == [] and "<script>" not in body
    assert client.get("/", query_string={"quelle": "x" * 301}).status_code == 400


# The release page


def test_release_page_links_the_source_versions_and_similar_releases(client):
    page, body = get_page(client, "/release/web_hochwasser_warnung")
    assert list(zip(page.texts("dt"), page.texts("dd"), strict=True)) == [
        ("Datum", "15.01.2025"),
        ("Herausgeber", WWA),
        ("Quelle", "Original bei wasser.example"),
    ]
    [source] = [a for a in page.elements("a") if a["href"].startswith("https:")]
    assert source == {"href": "https://wasser.example/meldungen/warnung", "rel": "noopener noreferrer"}
    versions = page.part("section.related.versions-list")
    assert versions.texts("li") == ["Warnung vor Hochwasser an der Elbe (aktualisiert) · 16.01.2025"]
    assert versions.hrefs("/release/") == ["/release/web_hochwasser_warnung_neu"]
    similar = page.part("section.related.similar")
    assert similar.texts("h2") == ["Ähnliche Meldungen"]
    assert similar.hrefs("/release/") == [
        "/release/web_hochwasser_pegel", "/release/web_hochwasser_uebung", "/release/web_hochwasser_deich"
    ]
    assert similar.texts(".hit-meta") == [f"03.02.2025 · {WWA}", "20.05.2024 · Landkreis Elbtal",
                                         "10.03.2023 · Landkreis Elbtal"]
    assert page.hrefs("/release/web_hochwasser_warnung/") == ["/release/web_hochwasser_warnung/zitat.txt"]


def test_the_newer_version_links_back_and_is_not_its_own_similar_release(client):
    page, _ = get_page(client, "/release/web_hochwasser_warnung_neu")
    assert page.part("section.related.versions-list").hrefs("/release/") == [
        "/release/web_hochwasser_warnung"
    ]
    similar = page.part("section.related.similar").hrefs("/release/")
    assert "/release/web_hochwasser_warnung" not in similar and "/release/web_hochwasser_warnung_neu" not in similar


def test_a_source_url_that_is_not_http_is_not_linked(client):
    page, body = get_page(client, "/release/web_hochwasser_uebung")
    assert "Quelle" not in page.texts("dt")
    assert "javascript:" not in body


def test_source_url_is_escaped_in_the_attribute(client):
    _, body = get_page(client, "/release/web_hochwasser_pegel")
    assert 'href="https://wasser.example/meldungen/pegel?id=7&amp;lang=de" rel="noopener noreferrer"' in body


def test_text_export_is_a_citation_with_a_permalink(client):
    response = client.get("/release/web_hochwasser_pegel/zitat.txt")
    assert (response.status_code, response.content_type) == (200, "text/plain; charset=utf-8")
    permalink = "http://localhost/release/web_hochwasser_pegel"
    assert response.get_data(as_text=True) == (
        "Pegel der Elbe sinkt, Hochwasser geht zurück\n"
        "\n"
        f"Herausgeber: {WWA}\n"
        "Datum: 03.02.2025\n"
        "Original bei wasser.example: https://wasser.example/meldungen/pegel?id=7&lang=de\n"
        f"Permalink: {permalink}\n"
        "\n"
        f"Zitiervorschlag: {WWA}: „Pegel der Elbe sinkt, Hochwasser geht zurück“. Pressemitteilung vom 03.02.2025. "
        f"{permalink}\n"
        "\n"
        "\n"
        "Der Pegel der Elbe sinkt seit Montag. Das Wasserwirtschaftsamt hebt die Warnung vor Hochwasser für die "
        "Uferbereiche auf; die Keller können wieder genutzt werden.\n"
    )


def test_text_export_of_an_undated_release_and_an_unknown_one(client):
    text = client.get("/release/web_ohne_datum/zitat.txt").get_data(as_text=True)
    assert "Datum: –\n" in text
    assert "Zitiervorschlag: Stadtbibliothek Musterstadt: „Bibliothek verlängert Öffnungszeiten“. " \
           "Pressemitteilung ohne Datum. http://localhost/release/web_ohne_datum\n" in text
    response = client.get("/release/gibt_es_nicht/zitat.txt")
    assert response.status_code == 404


def test_a_hit_carries_its_search_to_the_release_and_back(client):
    page, _ = get_page(client, "/?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum")
    first = page_title_links(page)[0]["href"]
    assert first == "/release/web_hochwasser_uebung?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum"
    release, _ = get_page(client, first)
    assert release.hrefs("/?") == ["/?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum"]
    # A damaged filter in the link still shows the release; the way back keeps the words.
    broken, _ = get_page(client, "/release/web_hochwasser_uebung?q=Hochwasser&von=2025-02-30")
    assert broken.hrefs("/?") == ["/?q=Hochwasser"]
