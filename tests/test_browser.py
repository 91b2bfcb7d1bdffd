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


def test_missing_chromium_skips_or_fails_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSE_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium not found"):
        require_chromium(tmp_path / "chromium")
    monkeypatch.setenv("PRESSE_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="PRESSE_REQUIRE_SHARED=1"):
        require_chromium(tmp_path / "chromium")
