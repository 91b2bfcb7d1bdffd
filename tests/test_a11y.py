"""Accessibility: axe-core (from npm, see `make axe`) checks the main pages in Debian's chromium via Playwright.

axe finds about half of the WCAG problems a machine can find (contrast, names, labels, landmarks, ARIA misuse); what it
cannot judge (a sensible focus order, German wording) the browser tests and the templates' structure cover.
"""

from __future__ import annotations

import pytest

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
    "/release/gibt_es_nicht",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def require_axe():
    return require_path(AXE, "axe-core (run `make axe`)")


def axe_violations(browser, url: str, viewport: dict, plant: str = "") -> list[dict]:
    # The site's CSP allows no inline script; the test injects axe past it, the app itself runs none.
    context = browser.new_context(bypass_csp=True, viewport=viewport, locale="de-DE")
    try:
        page = context.new_page()
        page.goto(url)
        if plant:
            page.evaluate(plant)
        page.add_script_tag(path=str(require_axe()))
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
    finally:
        context.close()
    return result["violations"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(browser, web_url, path, viewport):
    require_axe()
    violations = axe_violations(browser, web_url + path, viewport)
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']]}"
        for v in violations
        if v["impact"] in {"serious", "critical"}
    ]
    assert serious == []


def test_minor_findings_stay_at_zero_on_the_result_page(browser, web_url):
    # Not required by the issue, but cheap to keep: nothing at all on the busiest page.
    require_axe()
    violations = axe_violations(browser, web_url + "/?q=Hochwasser", DESKTOP)
    assert [(v["id"], v["impact"]) for v in violations] == []


def test_axe_does_find_a_planted_problem(browser, web_url):
    # Guards against a check that passes because axe never ran or checked nothing.
    require_axe()
    plant = "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text id=x>')"
    violations = axe_violations(browser, web_url + "/", DESKTOP, plant=plant)
    assert [(v["id"], v["impact"]) for v in violations] == [("label", "critical")]


def test_missing_axe_skips_or_fails_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSE_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="axe-core"):
        require_path(tmp_path / "axe.min.js", "axe-core (run `make axe`)")
