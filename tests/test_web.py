"""The Flask front end over a small index built from the tests/fixtures/releases/web_* releases.

The web tests use only the web_* fixtures, so the expected hits below can be read off those fifteen files:
three releases mention "Leuchtturm" (in the title of one, twice in the body of another, once in a long body),
one is about a "Konferenz", one carries HTML in its title, body and issuer, one has no date; five about
"Hochwasser" from two issuers over three years, two of them versions of one release, serve the filter, facet,
sort and version tests in tests/test_search_page.py; four police releases (web_polizei_*: an ots code title from
Frankfurt, three Berlin ones with `Ort:`, one numbered "Nr. 0241", one with an ftp `URL:`) serve the place, code
and original-link tests in tests/test_place.py. The index and the app over it (web_settings, make_app,
client) are conftest's, built once per session for all the web tests.
"""

from __future__ import annotations

import json
import logging
import os
import re
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient

from search import Settings, build_index, check_live_index
from tests.conftest import copy_web_corpus
from web import SECURITY_HEADERS, create_app
from web.views import page_links

LEUCHTTURM = ["web_leuchtturm_titel", "web_leuchtturm_fest", "web_leuchtturm_fahrplan"]
NO_INDEX = "Der Suchindex fehlt oder wird gerade neu aufgebaut. Bitte versuchen Sie es in einigen Minuten erneut."
DAMAGED = "Der Suchindex ist beschädigt und muss neu aufgebaut werden. Bitte versuchen Sie es später erneut."


class Page:
    """An HTML page (or one element of it) parsed by BeautifulSoup, with the questions the tests ask of it."""

    def __init__(self, html: str | Tag) -> None:
        # A class attribute stays one string, as written in the template, so elements compare to plain dicts.
        self.root = BeautifulSoup(html, "html.parser", multi_valued_attributes=None) if isinstance(html, str) else html

    def part(self, selector: str) -> Page:
        """The first element matching the CSS `selector`: one region of the page."""
        element = self.root.select_one(selector)
        assert element is not None, f"no {selector} in the page"
        return Page(element)

    def texts(self, selector: str) -> list[str]:
        """The text of each element matching the CSS `selector`, whitespace collapsed."""
        return [" ".join(element.get_text().split()) for element in self.root.select(selector)]

    def text(self, selector: str) -> str:
        return " ".join(self.texts(selector))

    def elements(self, selector: str) -> list[dict[str, Any]]:
        """The attributes of each element matching the CSS `selector`."""
        return [dict(element.attrs) for element in self.root.select(selector)]

    def tag_names(self) -> set[str]:
        """The names of all elements in the page or region, the region's own included."""
        own = set() if isinstance(self.root, BeautifulSoup) else {self.root.name}
        return own | {element.name for element in self.root.find_all(True)}

    def hrefs(self, prefix: str = "/") -> list[str]:
        return [a["href"] for a in self.elements("a[href]") if a["href"].startswith(prefix)]

    def hit_ids(self) -> list[str]:
        """The releases linked from the page, but for the newest releases an empty result offers instead."""
        links = [a for a in self.root.select('a[href^="/release/"]')
                 if not a.find_parent("ul", class_=lambda value: bool(value) and "newest" in value.split())]
        return [str(a["href"]).split("?")[0].removeprefix("/release/") for a in links]


def get_page(client: FlaskClient, url: str, status: int = 200, **kwargs: Any) -> tuple[Page, str]:
    response = client.get(url, **kwargs)
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    return Page(body), body


def get_json(client: FlaskClient, url: str) -> Any:
    return client.get(url).json


# The search page


def test_start_page_is_a_german_search_form(client):
    page, body = get_page(client, "/")
    assert '<html lang="de">' in body
    assert page.elements("form") == [{"class": "search-form", "role": "search", "method": "get", "action": "/"}]
    assert page.elements("label") == [{"for": "q"}]
    assert page.text(".search-form").startswith("Suchbegriffe Suchen")
    assert [(i["name"], i["maxlength"]) for i in page.elements("input")] == [("q", "2000")]
    assert page.elements("meta")[1] == {"name": "viewport", "content": "width=device-width, initial-scale=1"}
    assert page.tag_names() >= {"header", "main", "footer"}
    assert page.hit_ids() == []


def test_hits_are_ranked_with_date_issuer_and_count(client):
    page, body = get_page(client, "/?q=Leuchtturm")
    # The title match ranks first; two body matches beat one match in a longer body.
    assert page.hit_ids() == LEUCHTTURM
    assert page.text(".summary").startswith("3 Treffer ·")
    assert page.text(".summary").endswith(" s")
    assert page.texts(".hit-meta") == [
        "02.06.2025 · Hafenamt Nordkap",
        "14.07.2025 · Tourismusverein Nordkap",
        "30.08.2025 · Fährgesellschaft Nordkap",
    ]
    assert page.hrefs("/release/") == [f"/release/{id}?q=Leuchtturm" for id in LEUCHTTURM]
    assert "<mark>Leuchtturm</mark> am Hafen wird saniert</a>" in body
    assert page.elements("nav") == []  # one page only


def test_one_hit_is_counted_in_the_singular(client):
    page, _ = get_page(client, "/?q=Radwege")
    assert page.hit_ids() == ["web_konferenz_radwege"]
    assert page.text(".summary").startswith("1 Treffer ·")


def test_plural_query_marks_the_singular_in_title_and_snippet(client):
    page, body = get_page(client, "/?q=Konferenzen")
    assert page.hit_ids() == ["web_konferenz_radwege"]
    assert '<a href="/release/web_konferenz_radwege?q=Konferenzen"><mark>Konferenz</mark> über sichere Radwege' in body
    assert "einer öffentlichen <mark>Konferenz</mark> über sichere Radwege ein." in body


def test_query_without_hits_says_so(client):
    page, _ = get_page(client, "/?q=Zeppelin")
    assert page.text(".empty") == "Keine Treffer für „Zeppelin“."
    assert page.hit_ids() == []


def test_engine_notes_are_shown_above_the_hits(client):
    page, body = get_page(client, '/?q="Leuchtturm')
    assert page.text(".note") == "Ein einzelnes Anführungszeichen wurde ignoriert."
    assert body.index('class="message note"') < body.index('class="hits"')
    assert page.hit_ids() == LEUCHTTURM


def test_unusable_query_rerenders_the_form_with_400(client):
    page, _ = get_page(client, "/?q=*", status=400)
    assert page.text(".error") == "Bitte geben Sie einen Suchbegriff ein."
    assert page.elements("input")[0]["value"] == "*"
    assert page.hit_ids() == []


def test_query_is_echoed_escaped(client):
    hostile = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
    page, body = get_page(client, "/", query_string={"q": hostile})
    assert page.elements("input")[0]["value"] == hostile
    assert page.elements("script") == [] and page.elements("img") == []
    assert "<script" not in body and "<img" not in body


def test_pagination_links_and_second_page(make_app):
    client = make_app(page_size=2).test_client()
    page, body = get_page(client, "/?q=Leuchtturm")
    assert page.hit_ids() == LEUCHTTURM[:2]
    assert page.text(".summary").startswith("3 Treffer · Seite 1 von 2 ·")
    assert page.text(".pagination") == "1 2 Weiter"
    nav = page.part("nav.pagination")
    assert nav.hrefs("/?") == ["/?q=Leuchtturm&page=1", "/?q=Leuchtturm&page=2", "/?q=Leuchtturm&page=2"]
    assert [a.get("aria-current") for a in nav.elements("a")] == ["page", None, None]

    page, body = get_page(client, "/?q=Leuchtturm&page=2")
    assert page.hit_ids() == LEUCHTTURM[2:]
    assert page.elements("ol")[0]["start"] == "3"
    assert page.text(".pagination") == "Zurück 1 2"
    nav = page.part("nav.pagination")
    assert nav.hrefs("/?") == ["/?q=Leuchtturm&page=1", "/?q=Leuchtturm&page=1", "/?q=Leuchtturm&page=2"]


@pytest.mark.parametrize(
    ("current", "last", "links"),
    [
        (1, 1, []),
        (1, 3, [1, 2, 3]),
        (1, 50, [1, 2, 3, None, 50]),
        (10, 50, [1, None, 8, 9, 10, 11, 12, None, 50]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
        (50, 50, [1, None, 48, 49, 50]),
    ],
)
def test_page_links_are_bounded(current, last, links):
    assert page_links(current, last) == links


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("0", "Die Seitenzahl muss zwischen 1 und 100 liegen."),
        ("101", "Die Seitenzahl muss zwischen 1 und 100 liegen."),
        ("1000000000", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
        ("-1", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
        ("abc", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
        ("1e9", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
        ("2.5", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
        ("9" * 5000, "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
    ],
)
def test_bad_page_is_a_400_with_the_form(client, page, message):
    html, _ = get_page(client, "/", query_string={"q": "Leuchtturm", "page": page}, status=400)
    assert html.text(".error") == message
    assert html.elements("input")[0]["value"] == "Leuchtturm"

    response = client.get("/api/search", query_string={"q": "Leuchtturm", "page": page})
    assert (response.status_code, response.json) == (400, {"error": message})


NOT_A_WORD = "Bitte geben Sie einen Suchbegriff ein."
NO_WORDS = "Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder „und“ oder Operatoren)."
ONLY_OPERATORS = "Die Anfrage enthält nur Operatoren (AND, OR, NOT); bitte geben Sie Suchbegriffe ein."
ONE_QUOTE = "Ein einzelnes Anführungszeichen wurde ignoriert."
NOT_A_FIELD = "Nur die Suchfelder titel:, ort:, quelle: und datum: werden unterstützt; „{}:“ wurde ignoriert."
# Each hostile query with what it must come to: a 400 with the message, or a 200 with the notes and the hits.
HOSTILE_QUERIES: list[tuple[str, str | tuple[list[str], list[str]]]] = [
    ("a" * 10_000, "Die Anfrage ist zu lang (höchstens 2.000 Zeichen)."),
    ("Leuchtturm " * 180, (["Die Anfrage war zu lang; gesucht wurde nur mit den ersten 296 Zeichen.",
                            "Nur die ersten 16 Wörter wurden berücksichtigt."], LEUCHTTURM)),
    ('"Leuchtturm', ([ONE_QUOTE], LEUCHTTURM)),
    ('""Leuchtturm"', ([ONE_QUOTE], LEUCHTTURM)),
    ("AND", ONLY_OPERATORS),
    ("AND OR NOT", ONLY_OPERATORS),
    ("NOT " * 400 + "x", ONLY_OPERATORS),
    ("*", NOT_A_WORD),
    ("*a*b*c*", NO_WORDS),
    ("((((", NOT_A_WORD),
    ("(" * 900 + "Leuchtturm" + ")" * 900, NOT_A_WORD),
    ("Leuchtturm))", (["Unvollständige Klammern wurden ignoriert."], LEUCHTTURM)),
    ("Leucht\x00turm", ([], [])),
    ("\x00", NOT_A_WORD),
    ("title:", ([], [])),
    ("foo:bar", ([NOT_A_FIELD.format("foo")], [])),
    ("path:/ id:*", NOT_A_WORD),
    ("date:[foo TO bar]", ([NOT_A_FIELD.format("date")], [])),
    ("datum:>2020", "„datum:>2020“ ist kein lesbares Datum (Beispiele: datum:2015, datum:März 2016, datum:11.09.2025, "
                    "datum:2015-03..2015-06)."),
    ("abcdefg~5", (["Platzhalter und Sonderzeichen (*, ~, ^) werden nicht unterstützt und wurden ignoriert."], [])),
    ('r"(a+)+$"', NO_WORDS),
    ("/.*/", NOT_A_WORD),
    ("\\", NOT_A_WORD),
    ("'", NOT_A_WORD),
    ("^", NOT_A_WORD),
    ("~", NOT_A_WORD),
    ("+-!", NOT_A_WORD),
    ("-Leuchtturm", NO_WORDS),
    ("\u202eLeuchtturm", ([], LEUCHTTURM)),
    ("Leuchtturm 🗼", ([], LEUCHTTURM)),
]


@pytest.fixture(scope="module")
def patient_client(make_app):
    """A client whose searches have no practical time limit, so no note depends on how busy this machine is."""
    return make_app(search_seconds=3600.0).test_client()


@pytest.mark.parametrize(("query", "expected"), HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
def test_hostile_queries_are_cut_to_bounds_or_refused(patient_client, query, expected):
    # The engine's defence against costly input is to refuse it or to cut it to bounded work before searching: at
    # most max_query_chars characters and max_query_terms words reach the index, each cut announced in a note.
    client = patient_client
    limits = client.application.config["PRESSE_SETTINGS"]
    response = client.get("/api/search", query_string={"q": query})
    page, _ = get_page(client, "/", query_string={"q": query}, status=response.status_code)
    if isinstance(expected, str):
        assert (response.status_code, response.json) == (400, {"error": expected})
        assert page.text(".error") == expected
        return
    notes, hits = expected
    data = response.json
    assert (response.status_code, data["notes"], [hit["id"] for hit in data["hits"]]) == (200, notes, hits)
    assert len(data["query"]) <= limits.max_query_chars and len(data["query"].split()) <= limits.max_query_terms
    assert page.texts(".note") == notes and page.hit_ids() == hits


def test_overlong_query_is_refused_before_parsing(client):
    page, _ = get_page(client, "/", query_string={"q": "a" * 2001}, status=400)
    assert page.text(".error") == "Die Anfrage ist zu lang (höchstens 2.000 Zeichen)."
    response = client.get("/api/search", query_string={"q": "a" * 2001})
    assert response.json == {"error": "Die Anfrage ist zu lang (höchstens 2.000 Zeichen)."}


@pytest.mark.parametrize("raw", ["q=%ED%B3%BF", "q=%FF", "q=%C0%AE", "q=%00", "q=Leuchtturm%ED%B3%BF"])
def test_undecodable_bytes_in_the_query_are_harmless(client, raw):
    # Werkzeug keeps undecodable percent escapes as literal text ("%ED%B3%BF"), so no lone surrogate gets through.
    assert client.get("/?" + raw).status_code in {200, 400}
    assert client.get("/api/search?" + raw).status_code in {200, 400}


# Hostile release content


def test_html_in_a_release_is_escaped_on_the_result_page(client):
    page, body = get_page(client, "/?q=Formularen")
    assert page.hit_ids() == ["web_xss_formulare"]
    # Inside the hit list, the only elements are our own; the release's tags are text.
    assert page.part("ol.hits").tag_names() == {"ol", "li", "h3", "a", "mark", "p", "time", "span"}
    assert page.elements("script") == [] and page.elements("img") == [] and page.elements("b") == []
    assert "Warnung vor <script>alert(1)</script> in Formularen" in page.text(".hit-title")
    assert "Institut für <b>Websicherheit</b>" in page.text(".source")


def test_html_in_a_release_is_escaped_on_the_release_page(client):
    page, body = get_page(client, "/release/web_xss_formulare?q=Formular")
    assert page.part("article").tag_names() == {"article", "h1", "mark", "dl", "div", "dt", "dd", "time", "p"}
    assert page.elements("script") == [] and page.elements("img") == []
    assert page.text(".release-text") == (
        "Forscher warnen vor Formularen, die <script>alert(1)</script> ungeprüft ausgeben. "
        "Auch <img src=x onerror=alert(2)> \"quote\" 'apos' in Formularen ist gefährlich."
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ungeprüft" in body


def test_html_in_a_release_is_plain_data_in_the_json(client):
    response = client.get("/api/search?q=Formularen")
    assert response.content_type == "application/json"
    [hit] = response.json["hits"]
    assert hit["title"] == "Warnung vor <script>alert(1)</script> in Formularen"
    assert "<script" not in hit["snippet"] and "&lt;script&gt;alert(1)&lt;/script&gt;" in hit["snippet"]
    release = client.get("/api/release/web_xss_formulare").json
    assert release["source"] == "Institut für <b>Websicherheit</b>"


# The release page


def test_release_page_shows_the_whole_release(client):
    page, body = get_page(client, "/release/web_konferenz_radwege")
    assert page.elements("h1") == [{}]
    assert "<h1>Konferenz über sichere Radwege im Rathaus</h1>" in body
    assert list(zip(page.texts("dt"), page.texts("dd"), strict=True)) == [
        ("Datum", "11.09.2025"),
        ("Herausgeber", "Stadt Musterstadt"),
        ("Ort", "Musterstadt"),
    ]
    assert page.text(".release-text").startswith("Musterstadt (ots) - Die Stadt Musterstadt lädt am 20. September")
    assert page.text(".release-text").endswith("Der Eintritt ist frei.")
    assert len(page.elements("p")) == 4  # back link, two paragraphs, footer
    assert page.elements("mark") == []
    assert page.hrefs("/?") == []  # no query, so the way back is the plain start page
    assert page.texts(".back") == ["← Zurück zur Suche"]


def test_release_page_marks_the_query_and_links_back_to_it(client):
    page, body = get_page(client, "/release/web_konferenz_radwege?q=Konferenzen")
    assert "<h1><mark>Konferenz</mark> über sichere Radwege im Rathaus</h1>" in body
    assert "zu einer öffentlichen <mark>Konferenz</mark> über sichere Radwege ein." in body
    assert len(page.elements("mark")) == 2
    assert page.text(".back") == "← Zurück zur Suche"
    assert page.hrefs("/?") == ["/?q=Konferenzen"]


def test_release_page_with_an_unusable_query_marks_nothing(client):
    page, _ = get_page(client, "/release/web_konferenz_radwege", query_string={"q": "*"})
    assert page.elements("mark") == []
    page, _ = get_page(client, "/release/web_konferenz_radwege", query_string={"q": "Konferenz " * 300})
    assert page.elements("mark") == []


def test_release_without_date_shows_no_date(client):
    page, body = get_page(client, "/release/web_ohne_datum")
    assert list(zip(page.texts("dt"), page.texts("dd"), strict=True)) == [
        ("Herausgeber", "Stadtbibliothek Musterstadt")
    ]
    assert page.part("article").elements("time") == []


def test_undated_release_can_be_found(client):
    page, _ = get_page(client, "/?q=Öffnungszeiten")
    assert page.hit_ids() == ["web_ohne_datum"]
    assert page.texts(".hit-meta") == ["Stadtbibliothek Musterstadt"]
    response = client.get("/api/search?q=Öffnungszeiten")
    assert [(h["id"], h["date"]) for h in response.json["hits"]] == [("web_ohne_datum", None)]


def test_unknown_release_is_a_german_404(client):
    page, _ = get_page(client, "/release/gibt_es_nicht", status=404)
    assert page.elements("h1") == [{}] and page.text(".error") == "Keine Meldung mit der Kennung „gibt_es_nicht“."
    response = client.get("/api/release/gibt_es_nicht")
    assert (response.status_code, response.json) == (404, {"error": "Keine Meldung mit der Kennung „gibt_es_nicht“."})


@pytest.mark.parametrize(
    "url",
    [
        "/release/..%2f..%2fetc%2fpasswd",
        "/release/%2e%2e/%2e%2e/etc/passwd",
        "/release/%252e%252e%252fetc",
        "/release/..\\..\\x",
        "/release/" + "x" * 5000,
        "/api/release/" + "x" * 5000,
        "/release/",
        "/console",
    ],
)
def test_odd_release_urls_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "root:x:" not in response.get_data(as_text=True)


# The JSON API


def test_each_hit_says_how_it_holds_the_words(client):
    html = client.get("/?q=Deiche+erhöht").get_data(as_text=True)
    assert '<p class="why">Gefunden: „Deiche“ als „Deich“ (andere Form) · „erhöht“</p>' in html
    data = client.get("/api/search?q=Leuchtturm+Feuerwerk+Deich").get_json()
    assert [hit["id"] for hit in data["hits"][:2]] == ["web_leuchtturm_fest", "web_leuchtturm_titel"]
    assert data["hits"][0]["why"] == [{"word": "Leuchtturm", "how": "typed", "found": ""},
                                      {"word": "Feuerwerk", "how": "typed", "found": ""},
                                      {"word": "Deich", "how": "missing", "found": ""}]
    # A hit holding every word as typed needs no line.
    assert 'class="why"' not in client.get("/?q=Deich+erhöht").get_data(as_text=True)


def test_api_search_returns_the_result_page(client):
    response = client.get("/api/search?q=Leuchtturm&limit=2&page=2")
    assert response.status_code == 200
    data = response.json
    assert (data["query"], data["total"], data["page"], data["notes"]) == ("Leuchtturm", 3, 2, [])
    assert [(h["id"], h["date"], h["source"]) for h in data["hits"]] == [
        ("web_leuchtturm_fahrplan", "2025-08-30", "Fährgesellschaft Nordkap")
    ]
    assert data["hits"][0]["snippet"].endswith("nicht weit vom <mark>Leuchtturm</mark>")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "Bitte geben Sie einen Suchbegriff ein."),
        ("q=", "Bitte geben Sie einen Suchbegriff ein."),
        (
            "q=der+und",
            "Die Anfrage enthält keine suchbaren Wörter (nur Füllwörter wie „der“ oder „und“ oder Operatoren).",
        ),
        ("q=Leuchtturm&limit=abc", "Die Trefferzahl pro Seite muss eine ganze Zahl ab 1 sein."),
        ("q=Leuchtturm&limit=0", "Die Trefferzahl pro Seite muss zwischen 1 und 100 liegen."),
        ("q=Leuchtturm&limit=101", "Die Trefferzahl pro Seite muss zwischen 1 und 100 liegen."),
        ("q=Leuchtturm&page=x", "Die Seitenzahl muss eine ganze Zahl ab 1 sein."),
        ("q=datum%3A0000", "„datum:0000“ ist kein lesbares Datum (Beispiele: datum:2015, datum:März 2016, "
                           "datum:11.09.2025, datum:2015-03..2015-06)."),
    ],
)
def test_api_search_rejects_bad_arguments(client, query, message):
    response = client.get("/api/search?" + query)
    assert (response.status_code, response.json) == (400, {"error": message})


def test_api_release_returns_the_release(client):
    response = client.get("/api/release/web_konferenz_radwege")
    assert response.status_code == 200
    data = response.json
    assert data["text"].startswith("Musterstadt (ots) - Die Stadt Musterstadt lädt")
    assert data["text"].endswith(
        "\n\nDie Veranstaltung beginnt um 10 Uhr im großen Saal des Rathauses. Der Eintritt ist frei."
    )
    del data["text"]
    assert data == {
        "id": "web_konferenz_radwege",
        "title": "Konferenz über sichere Radwege im Rathaus",
        "date": "2025-09-11",
        "source": "Stadt Musterstadt",
        "place": "Musterstadt",
        "code": "",
        "url": "",
    }
    assert client.get("/api/release/web_ohne_datum").json["date"] is None


def test_health_reports_the_document_count(client):
    response = client.get("/health")
    assert (response.status_code, response.json) == (200, {"status": "ok", "documents": 15, "process": os.getpid()})


# Without a usable index


def test_without_index_searches_get_a_503_without_details(tmp_path):
    app = create_app(Settings(corpus=tmp_path / "corpus", index=tmp_path / "index"))
    client = app.test_client()
    assert not (tmp_path / "index").exists()  # creating the app opens nothing

    page, _ = get_page(client, "/")  # the form needs no index
    assert page.elements("input")[0]["name"] == "q"
    for url in ["/?q=Leuchtturm", "/release/web_konferenz_radwege"]:
        page, body = get_page(client, url, status=503)
        assert page.text(".error") == NO_INDEX
        assert str(tmp_path) not in body and "Traceback" not in body and "rebuild" not in body
    for url in ["/api/search?q=Leuchtturm", "/api/release/web_konferenz_radwege"]:
        response = client.get(url)
        assert (response.status_code, response.json) == (503, {"error": NO_INDEX})
    response = client.get("/health")
    assert (response.status_code, response.json) == (503, {"status": "no index"})


def test_a_damaged_index_is_a_503_without_details(tmp_path):
    settings = Settings(corpus=copy_web_corpus(tmp_path / "corpus"), index=tmp_path / "index")
    build_index(settings)
    for toc in check_live_index(settings.index).generation.glob("_MAIN_*.toc"):
        toc.write_bytes(toc.read_bytes()[:100])
    client = create_app(settings).test_client()

    response = client.get("/health")
    # The damaged file's name (no folder), for the operator watching /health.
    assert response.status_code == 503
    assert response.json["status"] == "damaged"
    (damaged,) = response.json["files"]
    assert re.fullmatch(r"_MAIN_1\.toc: 100 bytes, \d+ recorded", damaged), damaged
    page, body = get_page(client, "/?q=Leuchtturm", status=503)
    assert page.text(".error") == DAMAGED
    assert str(tmp_path) not in body and "Traceback" not in body
    response = client.get("/api/search?q=Leuchtturm")
    assert (response.status_code, response.json) == (503, {"error": DAMAGED})


def test_index_of_another_version_is_reported_stale(tmp_path):
    settings = Settings(corpus=copy_web_corpus(tmp_path / "corpus"), index=tmp_path / "index")
    build_index(settings)
    meta_file = check_live_index(settings.index).generation / "presse.json"
    meta_file.write_text(json.dumps({**json.loads(meta_file.read_text()), "version": -1}))
    client = create_app(settings).test_client()

    response = client.get("/health")
    assert (response.status_code, response.json) == (503, {"status": "stale"})
    page, body = get_page(client, "/?q=Leuchtturm", status=503)
    assert page.text(".error") == NO_INDEX and str(tmp_path) not in body


def test_rebuilt_index_is_picked_up_without_restart(tmp_path):
    settings = Settings(corpus=copy_web_corpus(tmp_path / "corpus"), index=tmp_path / "index")
    build_index(settings)
    app = create_app(settings)
    client = app.test_client()
    try:
        assert get_json(client, "/api/search?q=Seilbahn")["total"] == 0
        (settings.corpus / "web_seilbahn.txt").write_text(
            " date 2025-10-01 Seilbahn fährt wieder\n\nDie Seilbahn auf den Hausberg ist nach der Wartung wieder in "
            "Betrieb.\n\nQuelle: Bergbahnen Musterstadt\n",
            encoding="utf-8",
        )
        build_index(settings)
        assert [h["id"] for h in get_json(client, "/api/search?q=Seilbahn")["hits"]] == ["web_seilbahn"]
        assert client.get("/health").json == {"status": "ok", "documents": 16, "process": os.getpid()}
    finally:
        app.extensions["presse"].close()


# Errors and headers


def test_unexpected_error_is_a_plain_german_500_and_logged(web_settings, caplog):
    app = create_app(web_settings)

    def fail():
        raise RuntimeError("kaputt in /srv/secret")

    app.add_url_rule("/fehler", view_func=fail)
    with caplog.at_level(logging.ERROR):
        page, body = get_page(app.test_client(), "/fehler", status=500)
    assert page.elements("h1") == [{}] and "Interner Fehler" in body
    assert page.text(".error") == (
        "Bei der Bearbeitung ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut."
    )
    assert "Traceback" not in body and "/srv/secret" not in body and "RuntimeError" not in body
    assert "kaputt in /srv/secret" in caplog.text


def test_other_methods_are_refused_in_german(client):
    response = client.post("/?q=Leuchtturm", data="x" * 100)
    assert response.status_code == 405
    assert "Diese Adresse kann nur mit GET abgerufen werden." in response.get_data(as_text=True)
    assert client.open("/api/search?q=x", method="TRACE").status_code == 405


HTML = "text/html; charset=utf-8"


@pytest.mark.parametrize(
    ("url", "status", "content_type"),
    [
        ("/", 200, HTML),
        ("/?q=Leuchtturm", 200, HTML),
        ("/?q=*", 400, HTML),
        ("/release/nix", 404, HTML),
        ("/gibt/es/nicht", 404, HTML),
        ("/api/search?q=Leuchtturm", 200, "application/json"),
        ("/api/release/nix", 404, "application/json"),
        ("/health", 200, "application/json"),
        ("/static/style.css", 200, "text/css; charset=utf-8"),
    ],
)
def test_every_response_carries_the_security_headers(client, url, status, content_type):
    response = client.get(url)
    assert (response.status_code, response.headers["Content-Type"]) == (status, content_type)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    response.close()


def test_security_headers_on_503_too(tmp_path):
    response = create_app(Settings(index=tmp_path / "index")).test_client().get("/?q=x")
    assert response.status_code == 503
    assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


def test_pages_need_no_inline_script_or_style(client):
    for url in ["/", "/?q=Leuchtturm", "/release/web_konferenz_radwege?q=Konferenz", "/release/nix"]:
        page = Page(client.get(url).get_data(as_text=True))
        assert page.elements("script") == [] and page.elements("style") == []
        assert [a for a in page.elements("*") if "style" in a or any(name.startswith("on") for name in a)] == []


def test_templates_are_autoescaped(make_app):
    app = make_app()
    names = app.jinja_env.list_templates()
    assert set(names) == {
        "base.html", "search.html", "release.html", "error.html", "_hit.html", "_pagination.html", "_facets.html",
        "_issuer_choice.html", "_empty_help.html", "issuers.html",
        "_release_line.html", "_why.html",
    }
    assert all(app.jinja_env.autoescape(name) for name in names)


def test_settings_come_from_the_environment_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("PRESSE_INDEX", str(tmp_path / "anderswo"))
    monkeypatch.setenv("PRESSE_PAGE_SIZE", "7")
    settings = create_app().config["PRESSE_SETTINGS"]
    assert (settings.index, settings.page_size) == (tmp_path / "anderswo", 7)


def test_an_index_of_an_empty_corpus_answers_every_route(tmp_path):
    # A rebuild of an empty corpus once failed (no segment to write arrays for), and before that every search route
    # answered 500 over such an index while /health said 200.
    settings = Settings(corpus=tmp_path / "corpus", index=tmp_path / "index")
    settings.corpus.mkdir()
    assert build_index(settings).indexed == 0
    app = create_app(settings)
    client = app.test_client()
    try:
        assert client.get("/api/search?q=Brand").json == {
            "facets": {"source": [], "year": [], "place": []}, "hits": [], "notes": [], "page": 1, "query": "Brand",
            "total": 0}
        assert client.get("/api/search?sort=date").json["total"] == 0
        assert [client.get(path).status_code for path in ("/?q=Brand", "/?quelle=Amt", "/feed?q=Brand")] == [200] * 3
        assert client.get("/health").json == {"status": "ok", "documents": 0, "process": os.getpid()}
    finally:
        app.extensions["presse"].close()


def test_an_outsized_release_is_shown_in_parts_with_a_link_to_the_next(tmp_path):
    # A 4.9 MB release was one page of 5 MB of HTML (1.6-3.7 s); now a part of at most PART_CHARS characters.
    from search.query.reading import PART_CHARS

    words = [f"Absatz{n} " + "Deichwache " * ((PART_CHARS - 100) // 11) for n in range(1, 4)]
    settings = Settings(corpus=tmp_path / "corpus", index=tmp_path / "index")
    settings.corpus.mkdir()
    (settings.corpus / "lang.txt").write_text(
        " date 2020-01-01 Sehr lange Meldung\n\n" + "\n\n".join(words) + "\n\nQuelle: Amt\n", encoding="utf-8")
    build_index(settings)
    app = create_app(settings)
    client = app.test_client()
    try:
        page, body = get_page(client, "/release/lang?q=Deichwache")
        assert page.texts(".release-text p")[0].startswith("Absatz1 Deichwache")
        assert len(page.texts(".release-text p")) == 1
        assert body.count("<mark>") == (PART_CHARS - 100) // 11
        assert page.text(".release-parts") == "Teil 1 von 3 · weiter →"
        assert page.elements(".release-parts a") == [{"href": "/release/lang?q=Deichwache&teil=2", "rel": "next"}]

        page, _ = get_page(client, "/release/lang?q=Deichwache&teil=3")
        assert page.texts(".release-text p")[0].startswith("Absatz3 Deichwache")
        assert page.text(".release-parts") == "Teil 3 von 3 · ← vorheriger Teil"
        assert page.elements(".release-parts a") == [{"href": "/release/lang?q=Deichwache&teil=2", "rel": "prev"}]
        for part in ("4", "0", "zwei"):
            get_page(client, f"/release/lang?teil={part}", status=404)
    finally:
        app.extensions["presse"].close()


def test_a_release_within_one_part_has_no_part_links(client):
    page, _ = get_page(client, "/release/web_hochwasser_pegel")
    assert page.elements(".release-parts") == []
