"""Accessibility: axe-core (from npm, see `make axe`) checks the main pages in Debian's chromium via Playwright.

axe finds about half of the WCAG problems a machine can find (contrast, names, labels, landmarks, ARIA misuse); what it
cannot judge (a sensible focus order, German wording) the browser tests and the templates' structure cover.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.conftest import ROOT, require_path

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 A and AA plus axe's best practices (landmarks, one main, headings in order).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
PAGES = [
    "/",
    "/?q=Hochwasser",
    "/?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum",
    "/?q=Hochwasser&von=2025-01-01&bis=2025-12-31",
    "/?q=Zeppelin&quelle=Landkreis+Elbtal",
    "/?von=2025-99-01",
    "/release/web_hochwasser_warnung?q=Hochwasser",
    "/release/web_xss_formulare",
    "/?q=Polizei&ort=Neuk%C3%B6lln",
    "/release/web_polizei_bockenheim_code",
    "/release/gibt_es_nicht",
]
VIEWPORTS: dict[str, ViewportSize] = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


def require_axe() -> Path:
    return require_path(AXE, "axe-core (run `make axe`)")


@pytest.fixture(scope="module")
def tabs(browser: Browser) -> Iterator[dict[str, Page]]:
    """One browser tab per viewport, reused by every check: each check loads its page afresh, so nothing carries
    over, and this halves the module's time against a new browser context per check (9.6 s against 18.2 s for the
    nine pages at one viewport, measured)."""
    # The site's CSP allows no inline script; the test injects axe past it, the app itself runs none.
    contexts = [browser.new_context(bypass_csp=True, viewport=size, locale="de-DE") for size in VIEWPORTS.values()]
    try:
        yield {name: context.new_page() for name, context in zip(VIEWPORTS, contexts, strict=True)}
    finally:
        for context in contexts:
            context.close()


def axe_violations(tab: Page, url: str, plant: str = "") -> list[dict]:
    tab.goto(url)
    if plant:
        tab.evaluate(plant)
    tab.add_script_tag(path=str(require_axe()))
    result = tab.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return result["violations"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(tabs, web_url, path, viewport):
    require_axe()
    violations = axe_violations(tabs[viewport], web_url + path)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_minor_findings_stay_at_zero_on_the_result_page(tabs, web_url):
    # Not required by the issue, but cheap to keep: nothing at all on the busiest page.
    require_axe()
    violations = axe_violations(tabs["desktop"], web_url + "/?q=Hochwasser")
    assert [(v["id"], v["impact"]) for v in violations] == []


def test_axe_does_find_a_planted_problem(tabs, web_url):
    # Guards against a check that passes because axe never ran or checked nothing.
    require_axe()
    plant = "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text id=x>')"
    violations = axe_violations(tabs["desktop"], web_url + "/", plant=plant)
    assert [(v["id"], v["impact"]) for v in violations] == [("label", "critical")]


def test_missing_axe_skips_or_fails_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSE_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="axe-core"):
        require_path(tmp_path / "axe.min.js", "axe-core (run `make axe`)")
