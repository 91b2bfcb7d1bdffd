"""End to end: Debian's chromium, driven by Playwright, searches the real app served by waitress."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from search import Settings, build_index
from tests.conftest import FIXTURES, require_path, serve_app
from web import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def require_chromium(path: Path = CHROMIUM) -> Path:
    return require_path(path, "chromium")


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = require_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def base_url(tmp_path) -> Iterator[str]:
    """The app over the web_* fixtures, served by waitress on a free loopback port in a background thread."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in FIXTURES.glob("web_*"):
        shutil.copy(path, corpus / path.name)
    settings = Settings(corpus=corpus, index=tmp_path / "index")
    build_index(settings)
    with serve_app(create_app(settings)) as url:
        yield url


def test_search_then_open_a_release(browser, base_url):
    # No JavaScript: the site must work with plain links and a GET form.
    page = browser.new_page(java_script_enabled=False)
    page.goto(base_url + "/")
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


def test_missing_chromium_skips_or_fails_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSE_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium not found"):
        require_chromium(tmp_path / "chromium")
    monkeypatch.setenv("PRESSE_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="PRESSE_REQUIRE_SHARED=1"):
        require_chromium(tmp_path / "chromium")
