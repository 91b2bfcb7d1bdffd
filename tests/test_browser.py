"""End to end: Debian's chromium, driven by Playwright, searches the real app served on a loopback port."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import CHROMIUM, require_path

# The browser, and the app over the web_* fixtures it visits (web_url), are conftest's session fixtures.
pytestmark = pytest.mark.browser


def require_chromium(path: Path = CHROMIUM) -> Path:
    return require_path(path, "chromium")


def test_search_then_open_a_release(browser, web_url):
    # No JavaScript: the site must work with plain links and a GET form.
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/")
    page.get_by_label("Suchbegriffe").fill("Konferenzen")
    page.get_by_role("button", name="Suchen").click()

    page.wait_for_url("**/?q=Konferenzen")
    assert page.locator(".summary").inner_text().startswith("1 Treffer")
    hit = page.locator(".hit").first
    assert hit.locator(".hit-title mark").all_inner_texts() == ["Konferenz"]
    assert hit.locator(".snippet mark").all_inner_texts() == ["Konferenz"]

    hit.get_by_role("link").click()
    page.wait_for_url("**/release/web_konferenz_radwege?q=Konferenzen")
    assert page.locator("h1").inner_text() == "Konferenz über sichere Radwege im Rathaus"
    assert page.locator("h1 mark").inner_text() == "Konferenz"
    assert page.locator(".release-text mark").all_inner_texts() == ["Konferenz"]
    # The stylesheet loaded under the CSP, so the marks are visibly highlighted.
    assert page.locator("h1 mark").evaluate("m => getComputedStyle(m).backgroundColor") == "rgb(255, 224, 102)"


def test_each_hit_says_which_words_it_holds_and_which_it_lacks(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=Leuchtturm+Feuerwerk+Deich")
    assert page.locator(".note").inner_text() == (
        "Kein Treffer enthält alle Wörter; zuerst stehen die Treffer mit den meisten davon, die ersten ohne „Deich“.")
    first = page.locator(".hit").first
    assert first.locator(".hit-title a").inner_text() == "Sommerfest an der Hafeneinfahrt"
    assert first.locator(".why").inner_text() == "Gefunden: „Leuchtturm“ · „Feuerwerk“ · ohne „Deich“"
    assert first.locator(".snippet mark").all_inner_texts() == ["Leuchtturm", "Feuerwerk", "Leuchtturm"]
    page.goto(web_url + "/?q=Deiche+erhöht")
    assert page.locator(".hit .why").inner_text() == "Gefunden: „Deiche“ als „Deich“ (andere Form) · „erhöht“"


def test_narrow_by_facet_then_sort_by_date(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=Hochwasser")
    assert page.locator(".summary").inner_text().startswith("4 Treffer")
    # The folded versions open without JavaScript.
    versions = page.locator("details.versions")
    assert versions.locator("summary").inner_text() == "1 weitere Fassung"
    assert not versions.get_by_role("link").is_visible()
    versions.locator("summary").click()
    assert versions.get_by_role("link").inner_text() == "Warnung vor Hochwasser an der Elbe (aktualisiert)"

    page.locator(".facets").get_by_role("link", name="Landkreis Elbtal").click()
    page.wait_for_url("**/?q=Hochwasser&quelle=Landkreis+Elbtal")
    assert page.locator(".summary").inner_text().startswith("2 Treffer")
    assert page.locator(".hit-title").all_inner_texts() == [
        "Deich bei Elbdorf wird erhöht",
        "Katastrophenschutz übt den Ernstfall",
    ]
    # The chip says to screen readers what a click does; the × is only for the eye.
    assert " ".join(page.locator(".chip").inner_text().split()) == "Herausgeber: Landkreis Elbtal – Filter entfernen ×"

    page.locator(".sort").get_by_role("link", name="Neueste zuerst").click()
    page.wait_for_url("**/?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum")
    assert page.locator(".hit-meta").all_inner_texts() == [
        "20.05.2024 · Landkreis Elbtal",
        "10.03.2023 · Landkreis Elbtal",
    ]

    # A year facet, then the chip that removes the issuer again.
    page.locator(".facets").get_by_role("link", name="2023").click()
    page.wait_for_url("**/?q=Hochwasser&von=2023-01-01&bis=2023-12-31&quelle=Landkreis+Elbtal&sortierung=datum")
    assert page.locator(".hit-title").all_inner_texts() == ["Deich bei Elbdorf wird erhöht"]
    page.get_by_role("link", name="Herausgeber: Landkreis Elbtal – Filter entfernen").click()
    page.wait_for_url("**/?q=Hochwasser&von=2023-01-01&bis=2023-12-31&sortierung=datum")
    assert [" ".join(chip.split()) for chip in page.locator(".chip").all_inner_texts()] == [
        "Jahr 2023 – Filter entfernen ×"
    ]


def test_filter_form_narrows_by_date(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=Hochwasser")
    page.get_by_label("Von").fill("2025-01-16")
    page.get_by_label("Bis").fill("2025-02-03")
    page.get_by_role("button", name="Anwenden").click()
    page.wait_for_url("**/?q=Hochwasser&von=2025-01-16&bis=2025-02-03&quelle=&ort=")
    # The older warning is outside the range, so its newer version stands for the pair.
    assert page.locator(".hit-title").all_inner_texts() == [
        "Warnung vor Hochwasser an der Elbe (aktualisiert)",
        "Pegel der Elbe sinkt, Hochwasser geht zurück",
    ]


def test_open_a_release_and_follow_a_similar_one(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=Hochwasser")
    page.locator(".hit-title").first.get_by_role("link").click()
    page.wait_for_url("**/release/web_hochwasser_warnung?q=Hochwasser")
    similar = page.get_by_role("region", name="Ähnliche Meldungen")
    assert similar.get_by_role("link").all_inner_texts() == [
        "Pegel der Elbe sinkt, Hochwasser geht zurück",
        "Katastrophenschutz übt den Ernstfall",
        "Deich bei Elbdorf wird erhöht",
    ]
    assert similar.locator(".hit-meta").first.inner_text() == "03.02.2025 · Wasserwirtschaftsamt Elbtal"
    page.get_by_role("region", name="Weitere Fassungen dieser Meldung").get_by_role("link").click()
    page.wait_for_url("**/release/web_hochwasser_warnung_neu")
    assert page.locator("h1").inner_text() == "Warnung vor Hochwasser an der Elbe (aktualisiert)"
    similar = page.get_by_role("region", name="Ähnliche Meldungen")
    similar.get_by_role("link", name="Pegel der Elbe sinkt, Hochwasser geht zurück").click()
    page.wait_for_url("**/release/web_hochwasser_pegel")
    assert page.get_by_role("link", name="Original bei wasser.example").get_attribute("rel") == "noopener noreferrer"


def test_narrow_by_place_facet_and_keep_the_place_for_new_words(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=Polizei")
    assert page.locator(".summary").inner_text().startswith("4 Treffer")
    places = page.locator('ul[aria-labelledby="facette-ort"] li')
    assert places.all_inner_texts() == ["Neukölln 2", "Bockenheim 1", "Friedrichshain-Kreuzberg 1"]

    page.locator(".facets").get_by_role("link", name="Neukölln").click()
    page.wait_for_url("**/?q=Polizei&ort=Neuk%C3%B6lln")
    assert page.locator(".hit-title").all_inner_texts() == ["Einbruch in Kellerabteile eines Wohnhauses",
                                                            "Lieferwagen beschädigt Ampel in Britz"]
    assert page.locator(".hit-meta .place").all_inner_texts() == ["Neukölln", "Neukölln"]
    assert page.get_by_label("Ort (genauer Name)").input_value() == "Neukölln"

    # New words keep the place, until its chip removes it.
    page.get_by_label("Suchbegriffe").fill("Lieferwagen")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/?q=Lieferwagen&ort=Neuk%C3%B6lln")
    assert page.locator(".hit-title").all_inner_texts() == ["Lieferwagen beschädigt Ampel in Britz"]
    page.get_by_role("link", name="Ort: Neukölln – Filter entfernen").click()
    page.wait_for_url("**/?q=Lieferwagen")
    assert page.locator(".chip").count() == 0


def test_code_label_then_the_original_link_on_the_release_page(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=250314+-+0312")
    assert page.locator(".summary").inner_text().startswith("1 Treffer")
    assert page.locator(".hit-title").inner_text() == "Geldbörse aus Einkaufstasche gezogen"
    assert page.locator(".hit-meta .code").inner_text() == "POL-F: 250314 - 0312"
    page.locator(".hit-title").get_by_role("link").click()
    page.wait_for_url("**/release/web_polizei_bockenheim_code?q=250314+-+0312")
    assert page.locator(".code-line").inner_text() == "POL-F: 250314 - 0312"
    original = page.get_by_role("link", name="Original bei presseportal.de")
    assert original.get_attribute("href") == "https://www.presseportal.de/blaulicht/pm/4970/7000312"
    assert original.get_attribute("rel") == "noopener noreferrer"
    assert original.is_visible()
    # An ftp address is shown nowhere as a link.
    page.goto(web_url + "/release/web_polizei_kreuzberg_ftp")
    assert page.get_by_role("link", name="Original", exact=False).count() == 0


def test_choose_an_issuer_by_a_part_of_its_name(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    page.goto(web_url + "/?q=Leuchtturm")
    # The field offers every issuer, with its count, as the browser's suggestions.
    options = page.locator("datalist#herausgeber-liste option")
    assert options.count() == 10
    assert options.nth(1).get_attribute("value") == "Hafenamt Nordkap"
    page.get_by_label("Herausgeber (ganzer Name oder ein Teil)").fill("nordkap")
    page.get_by_role("button", name="Anwenden").click()
    page.wait_for_url("**/?q=Leuchtturm&von=&bis=&quelle=nordkap&ort=")
    choice = page.get_by_role("region", name="Welcher Herausgeber?")
    assert choice.locator("p").first.inner_text() == "„nordkap“ passt auf 3 Herausgeber. Mit Treffern für diese Suche:"
    choice.get_by_role("link", name="Hafenamt Nordkap").click()
    page.wait_for_url("**/?q=Leuchtturm&quelle=Hafenamt+Nordkap")
    assert page.locator(".hit-title").all_inner_texts() == ["Leuchtturm am Hafen wird saniert"]
    # A unique part is enough.
    page.get_by_label("Herausgeber (ganzer Name oder ein Teil)").fill("tourismus")
    page.get_by_role("button", name="Anwenden").click()
    page.wait_for_url("**/?q=Leuchtturm&von=&bis=&quelle=tourismus&ort=")
    assert page.locator(".issuer-found").inner_text() == (
        "Herausgeber „tourismus“: gesucht wird in „Tourismusverein Nordkap“.")
    assert page.locator(".hit-title").all_inner_texts() == ["Sommerfest an der Hafeneinfahrt"]


def test_on_a_phone_the_filters_are_reachable_above_the_first_hit(browser, web_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(web_url + "/?q=Hochwasser")
        jump = page.get_by_role("link", name="Eingrenzen: Zeitraum, Herausgeber und Ort")
        first_hit = page.locator(".hit").first.bounding_box()
        entry = jump.bounding_box()
        assert entry is not None and first_hit is not None
        assert entry["y"] + entry["height"] <= first_hit["y"] < 844  # above the first hit, on the first screen
        # The facets themselves come after the hits on a phone; the link leads there.
        assert page.locator("#eingrenzen").bounding_box()["y"] > first_hit["y"]
        jump.click()
        page.wait_for_url("**/?q=Hochwasser#eingrenzen")
        assert page.get_by_label("Von").is_visible()
        # Beside the hits on a wide screen, the link is not needed and not shown.
        page.set_viewport_size({"width": 1280, "height": 900})
        assert not jump.is_visible()
    finally:
        context.close()


def test_every_link_of_an_empty_page_leads_to_hits(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    start = web_url + "/?q=Hochwaser+Zeppelin&quelle=Landkreis+Elbtal"
    page.goto(start)
    assert page.locator(".empty").inner_text() == "Keine Treffer für „Hochwaser Zeppelin“ mit den gewählten Filtern."
    hrefs = page.locator("section.results a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    # Not the chip (the words find nothing without the issuer either) nor "Ohne Filter suchen": the shorter query
    # as the search corrects it, then the issuer's newest releases.
    assert page.locator(".chip").evaluate("chip => chip.tagName") == "SPAN"
    assert hrefs == [
        "#eingrenzen",
        "/?q=Hochwasser&quelle=Landkreis+Elbtal",
        "/release/web_hochwasser_uebung",
        "/release/web_hochwasser_deich",
    ]
    page.goto(web_url + hrefs[1])
    assert page.locator(".hit-title").all_inner_texts() == ["Deich bei Elbdorf wird erhöht",
                                                            "Katastrophenschutz übt den Ernstfall"]
    for href in hrefs[2:]:
        page.goto(web_url + href)
        assert page.locator("h1").inner_text(), href


def test_a_400_keeps_the_values_to_correct_in_place(browser, web_url):
    page = browser.new_page(java_script_enabled=False)
    response = page.goto(web_url + "/?q=Hochwasser&von=2025-02-31&bis=2025-12-31&quelle=Landkreis+Elbtal")
    assert response is not None and response.status == 400
    assert page.get_by_role("alert").inner_text().startswith("„2025-02-31“ ist kein gültiges Datum für „von“")
    assert page.get_by_label("Suchbegriffe").input_value() == "Hochwasser"
    von = page.get_by_label("Von")
    assert von.input_value() == "2025-02-31"
    assert page.get_by_label("Bis").input_value() == "2025-12-31"
    assert page.get_by_label("Herausgeber (ganzer Name oder ein Teil)").input_value() == "Landkreis Elbtal"
    von.fill("2024-01-01")
    page.get_by_role("button", name="Anwenden").click()
    page.wait_for_url("**/?q=Hochwasser&von=2024-01-01&bis=2025-12-31&quelle=Landkreis+Elbtal&ort=")
    assert page.locator(".hit-title").all_inner_texts() == ["Katastrophenschutz übt den Ernstfall"]


def test_missing_chromium_skips_or_fails_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSE_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium not found"):
        require_chromium(tmp_path / "chromium")
    monkeypatch.setenv("PRESSE_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="PRESSE_REQUIRE_SHARED=1"):
        require_chromium(tmp_path / "chromium")
