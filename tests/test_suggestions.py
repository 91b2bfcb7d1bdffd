"""What a result page offers beside its hits (web/suggestions.py): on no hits only links that find something, and a
400 that keeps the form with the values as typed. Over the web_* fixtures (see tests/test_search_page.py)."""

from __future__ import annotations

from tests.test_web import Page, get_page

NEWEST = ["web_konferenz_radwege", "web_leuchtturm_fahrplan", "web_leuchtturm_fest", "web_leuchtturm_titel",
          "web_polizei_neukoelln_keller"]


def suggestions(page: Page, selector: str) -> list[tuple[str, str]]:
    part = page.part(selector)
    return list(zip(part.texts("li"), part.hrefs(), strict=True))


def newest_ids(page: Page) -> list[str]:
    return [href.removeprefix("/release/") for href in page.part(".newest").hrefs("/release/")]


def total_of(client, href: str) -> int:
    """The number of hits behind a link of the page, as the page it leads to says."""
    page, _ = get_page(client, href)
    summary = page.text(".summary")
    return int(summary.split(" Treffer")[0].replace(".", "")) if summary else 0


def test_no_hits_offers_the_query_with_fewer_words_each_finding_something(client):
    page, _ = get_page(client, "/?q=Leuchtturm+datum:2023")
    assert page.text(".empty") == "Keine Treffer für „Leuchtturm datum:2023“."
    assert suggestions(page, ".fewer-words") == [
        ("datum:2023 1 Treffer", "/?q=datum:2023"),
        ("Leuchtturm 3 Treffer", "/?q=Leuchtturm"),
    ]
    assert [total_of(client, href) for _, href in suggestions(page, ".fewer-words")] == [1, 3]


def test_fewer_words_that_still_find_nothing_are_not_offered_and_a_correction_is_named(client):
    page, _ = get_page(client, "/?q=Hochwaser+Zeppelin")
    # "Zeppelin" alone finds nothing; "Hochwaser" finds the Hochwasser releases, as the search corrects it.
    assert suggestions(page, ".fewer-words") == [("Hochwasser 4 Treffer statt „Hochwaser“", "/?q=Hochwasser")]
    assert total_of(client, "/?q=Hochwasser") == 4


def test_no_hits_shows_the_newest_releases_within_the_filters(client):
    page, _ = get_page(client, "/?q=Zeppelin")
    assert newest_ids(page) == NEWEST
    assert page.text("#hilfe-neueste") == "Neueste Meldungen"
    page, _ = get_page(client, "/?q=Zeppelin&quelle=Landkreis+Elbtal")
    assert newest_ids(page) == ["web_hochwasser_uebung", "web_hochwasser_deich"]
    assert page.text("#hilfe-neueste") == "Neueste Meldungen mit den gewählten Filtern"
    assert page.elements(".relax") == []  # "Zeppelin" finds nothing without filters either: no such link


def test_without_filters_is_offered_only_when_it_finds_something(client):
    page, _ = get_page(client, "/?q=Leuchtturm&quelle=Landkreis+Elbtal")
    assert page.part(".relax").hrefs() == ["/?q=Leuchtturm"]
    assert page.text(".relax") == "Ohne Filter suchen 3 Treffer"
    assert total_of(client, "/?q=Leuchtturm") == 3


def test_every_link_of_an_empty_page_leads_to_hits(client):
    for url in ["/?q=Leuchtturm+datum:2023&quelle=Hafenamt+Nordkap", "/?q=Hochwasser+Zeppelin&quelle=Hafenamt+Nordkapp",
                "/?q=Hochwaser+Zeppelin"]:
        page, _ = get_page(client, url)
        assert page.text(".empty"), url
        links = [href for href in page.part("section.results").hrefs("/?") if "#" not in href]
        assert links, url
        for href in links:
            assert total_of(client, href) > 0, (url, href)
    # A filter whose removal finds nothing either is shown as a chip without a link.
    page, _ = get_page(client, "/?q=Leuchtturm+datum:2023&quelle=Hafenamt+Nordkap")
    assert page.elements(".chip") == [{"class": "chip"}]
    assert page.texts(".chip") == ["Herausgeber: Hafenamt Nordkap"]


def test_an_impossible_date_is_a_400_that_keeps_the_values_in_the_form(client):
    page, _ = get_page(client, "/?q=Hochwasser&von=2025-02-31&bis=2025-12-31&quelle=Landkreis+Elbtal", status=400)
    assert page.text(".error") == ("„2025-02-31“ ist kein gültiges Datum für „von“; bitte im Format JJJJ-MM-TT "
                                   "angeben, z. B. 2025-01-31.")
    assert page.part("#q").root["value"] == "Hochwasser"
    form = page.part("form.filter-form")
    # A date field cannot show an impossible date: it becomes a text field, marked and tied to the message.
    assert form.part("#von").root.attrs == {"type": "text", "id": "von", "name": "von", "value": "2025-02-31",
                                            "aria-invalid": "true", "aria-describedby": "fehler",
                                            "placeholder": "JJJJ-MM-TT"}
    assert (form.part("#bis").root["type"], form.part("#bis").root["value"]) == ("date", "2025-12-31")
    assert form.part("#quelle").root["value"] == "Landkreis Elbtal"
    assert [e["value"] for e in form.elements('input[type="hidden"]')] == ["Hochwasser"]


def test_an_impossible_date_in_the_words_is_a_400_that_keeps_the_filters(client):
    page, _ = get_page(client, "/?q=datum:31.02.2020&von=2020-01-01&quelle=Landkreis+Elbtal", status=400)
    assert page.text(".error").startswith("„datum:31.02.2020“ ist kein lesbares Datum")
    assert page.part("#q").root["value"] == "datum:31.02.2020"
    form = page.part("form.filter-form")
    assert (form.part("#von").root["type"], form.part("#von").root["value"]) == ("date", "2020-01-01")
    assert form.part("#quelle").root["value"] == "Landkreis Elbtal"


def test_the_filters_are_reachable_above_the_hits(client):
    page, body = get_page(client, "/?q=Hochwasser")
    assert page.part(".filter-jump").hrefs("#") == ["#eingrenzen"]
    assert body.index('class="filter-jump"') < body.index('class="hits"') < body.index('id="eingrenzen"')
