"""In the browser: an embargoed release is nowhere before its time and there, by itself, from then on."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from search import Settings, build_index
from tests.conftest import serve_app
from tests.test_embargo import BEFORE, EMBARGO_FIXTURES, ENDS, Clock
from web import create_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Clock]]:
    """The app over the embargo fixtures, served with a clock the test moves on (no sleeping, no rebuild)."""
    base = tmp_path_factory.mktemp("embargo-browser")
    shutil.copytree(EMBARGO_FIXTURES, base / "corpus")
    clock = Clock(BEFORE)
    settings = Settings(corpus=base / "corpus", index=base / "index", clock=clock)
    build_index(settings)
    app = create_app(settings)
    with serve_app(app) as url:
        yield url, clock
    app.extensions["presse"].close()


def test_an_embargoed_release_is_invisible_before_and_visible_after_its_time(browser, served):
    url, clock = served
    page = browser.new_page(java_script_enabled=False)
    clock.now = BEFORE
    page.goto(url + "/")
    page.get_by_label("Suchbegriffe").fill("Wasserstoffbusse")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/?q=Wasserstoffbusse")
    assert page.locator(".summary").inner_text().startswith("1 Treffer")
    assert page.locator(".hit-title").all_inner_texts() == ["Neujahrsempfang der Stadtwerke: Wasserstoff als Ziel"]
    assert "Verkehrsverbund Nordkap" not in page.locator("body").inner_text()
    response = page.goto(url + "/release/bus_sperrfrist_zeile")
    assert response is not None and response.status == 404
    assert "Stadtwerke Nordkap stellen" not in page.locator("body").inner_text()

    clock.now = ENDS
    page.goto(url + "/?q=Wasserstoffbusse")
    assert page.locator(".summary").inner_text().startswith("5 Treffer")
    page.get_by_role("link", name="Stadtwerke Nordkap stellen zwölf Wasserstoffbusse vor").click()
    page.wait_for_url("**/release/bus_sperrfrist_zeile?q=Wasserstoffbusse")
    assert page.locator("h1").inner_text() == "Stadtwerke Nordkap stellen zwölf Wasserstoffbusse vor"
    page.close()
