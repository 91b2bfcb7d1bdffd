from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from search.errors import ReleaseError
from search.ingest.corpus import read_release
from search.ingest.html_page import extract_html_page, parse_html_release
from search.ingest.importer import import_release
from tests.conftest import FIXTURES

HTML_FIXTURES = sorted([*FIXTURES.glob("*.html"), *(FIXTURES.parent / "import").glob("*.[hH][tT][mM]*")])


def page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def test_hidden_elements_are_dropped():
    html = page('<p>Sichtbar.</p><p hidden>Versteckt eins.</p><div aria-hidden="true">Versteckt zwei.</div>'
                '<div style="display:none">Versteckt drei.</div><p style="color: red">Auch sichtbar.</p>')
    assert extract_html_page(html).paragraphs == ("Sichtbar.", "Auch sichtbar.")


def test_the_longest_article_is_the_release():
    html = page("<article><p>Kurzer Teaser.</p></article>"
                "<article><h1>Titel</h1><p>Der eigentliche, deutlich längere Text der Meldung.</p></article>")
    result = extract_html_page(html)
    assert (result.title, result.paragraphs) == ("Titel", ("Der eigentliche, deutlich längere Text der Meldung.",))


def test_a_box_of_links_is_dropped_but_a_link_in_the_text_is_kept():
    html = page('<main><p>Mehr steht auf <a href="/a">der Projektseite</a>.</p>'
                '<ul><li><a href="/1">Erste Meldung</a></li><li><a href="/2">Zweite Meldung</a></li>'
                '<li><a href="/3">Dritte Meldung</a></li></ul></main>')
    assert extract_html_page(html).paragraphs == ("Mehr steht auf der Projektseite.",)


def test_a_whole_page_form_or_a_carelessly_named_wrapper_is_kept():
    html = page('<form id="aspnetForm"><div class="content-with-sidebar"><h1>Titel</h1><p>Text.</p></div>'
                '<div class="sidebar"><p>Randspalte.</p></div></form>')
    assert extract_html_page(html).paragraphs == ("Text.",)


def test_an_article_header_is_kept_but_the_site_header_is_not():
    html = page('<header><p>Stadtportal</p></header><article><header><h1>Titel</h1>'
                '<p class="lead">Der Vorspann.</p></header><p>Der Text.</p><footer>Teilen</footer></article>')
    assert extract_html_page(html).paragraphs == ("Der Vorspann.", "Der Text.")


def test_dates_from_meta_and_time_elements():
    assert extract_html_page(page("<p>T.</p>", '<meta name="date" content="2024-02-29">')).date == date(2024, 2, 29)
    assert extract_html_page(page('<p>T.</p><time datetime="2023-07-01T09:00">1. Juli</time>')).date == date(
        2023, 7, 1)
    broken_json_ld = '<script type="application/ld+json">{"datePublished": </script>'
    assert extract_html_page(page("<p>Am 3. März 2016.</p>", broken_json_ld)).date == date(2016, 3, 3)


def test_only_absolute_urls_are_kept():
    assert extract_html_page(page("<p>T.</p>", '<link rel="canonical" href="/presse/1">')).url == ""
    assert extract_html_page(page("<p>T.</p>", '<meta property="og:url" content="http://x.example/1">')).url == (
        "http://x.example/1")


def test_issuer_precedence_quelle_then_ots_then_author():
    author = '<meta name="author" content="Autor">'
    assert extract_html_page(page("<p>T.</p><p>Quelle: Amt</p>", author)).source == "Amt"
    ots = "<p>T.</p><p>Original-Content von: Polizei Berlin, übermittelt durch news aktuell</p>"
    assert extract_html_page(page(ots, author)).source == "Polizei Berlin (ots)"
    assert extract_html_page(page("<p>T.</p>", author)).source == "Autor"


def test_headline_and_issuer_repeated_as_lines_are_dropped():
    html = page("<p>Stadt Musterstadt</p><h1>Neuer Park</h1><p>Neuer Park</p><p>Der Park öffnet.</p>",
                '<meta name="author" content="Stadt Musterstadt">')
    assert extract_html_page(html).paragraphs == ("Der Park öffnet.",)


def test_parse_html_release_sets_the_url():
    html = page("<h1>Titel</h1><p>Text.</p>", '<meta property="og:url" content="https://x.example/p">')
    release = parse_html_release(html, "p")
    assert (release.id, release.title, release.text, release.url) == ("p", "Titel", "Text.", "https://x.example/p")


# ---- one set of rules for a page in the corpus folder and a page given to `presse add` ----------------------------


def imported_as_corpus_file(data: bytes, path: Path):
    """What `presse add` makes of the page, with the id and origin a corpus file of that name has instead."""
    return replace(import_release(data, str(path)).release, id=path.stem, origin="")


@pytest.mark.parametrize("path", HTML_FIXTURES, ids=lambda path: path.name)
def test_a_page_in_the_corpus_reads_as_the_same_page_given_to_add(path):
    release = read_release(path)
    assert release == imported_as_corpus_file(path.read_bytes(), path)
    assert release.paragraphs  # a page that reads as nothing would agree trivially


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # A title-less page with a short lead: the derived title is a headline, as the file `add` writes has one.
        ("<p>Die Stadt pflanzt Bäume. Sie kosten Geld.</p><p>Im Herbst.</p>",
         {"title": "Die Stadt pflanzt Bäume.", "headline": True, "place": ""}),
        # A lone paragraph is no headline.
        ("<p>Die Stadt pflanzt Bäume. Sie kosten Geld.</p>", {"title": "Die Stadt pflanzt Bäume.", "headline": False}),
        # The place from an ots dateline, and from a `Place: ` before the headline.
        ("<p>Frankfurt (ots) - Ein Satz.</p><p>Noch einer.</p>", {"place": "Frankfurt", "headline": True}),
        ("<h1>Bad Vilbel: Neues Bad</h1><p>Text.</p>", {"title": "Bad Vilbel: Neues Bad", "place": "Bad Vilbel"}),
        # A headline longer than a headline line is cut at a word boundary.
        (f"<h1>{'Wort ' * 60}</h1><p>Text.</p>", {"title": "Wort " * 46 + "Wort …", "headline": True}),
        # A page starting like the sample (and without a date of its own) takes its date from there.
        ("<p>date 2025-09-11 Ein Satz.</p><p>Zweiter.</p><p>Quelle: Amt</p>",
         {"date": date(2025, 9, 11), "source": "Amt", "text": "Ein Satz.\n\nZweiter."}),
    ],
)
def test_both_entry_points_apply_the_same_rules(tmp_path, body, expected):
    path = tmp_path / "seite.html"
    path.write_text(page(body), encoding="utf-8")
    release = read_release(path)
    assert {key: getattr(release, key) for key in expected} == expected
    assert release == imported_as_corpus_file(path.read_bytes(), path)


def test_a_page_in_the_corpus_honours_its_declared_charset(tmp_path):
    path = tmp_path / "seite.html"
    # Byte 0xA4 is € in ISO-8859-15 but ¤ in Windows-1252, which is what detection alone would take.
    path.write_bytes('<meta charset="iso-8859-15"><h1>Preis</h1><p>Es kostet 5 €.</p>'.encode("iso-8859-15"))
    release = read_release(path)
    assert (release.title, release.text) == ("Preis", "Es kostet 5 €.")
    assert release == imported_as_corpus_file(path.read_bytes(), path)


def test_a_page_without_text_is_an_error_under_its_id_or_label():
    with pytest.raises(ReleaseError, match=r"\Aleer: the HTML page has no text\Z"):
        parse_html_release(page("<nav><a href='/'>Start</a></nav>"), "leer")
    with pytest.raises(ReleaseError, match=r"\Aleer.html: the HTML page has no text\Z"):
        parse_html_release(page("<nav><a href='/'>Start</a></nav>"), "", label="leer.html")
