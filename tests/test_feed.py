"""The XML documents: a search as an Atom feed (newest first, escaped by the XML writer) and the OpenSearch description.

Over the web_* fixtures (see tests/test_web.py and tests/test_search_page.py).
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

from search import Settings, build_index
from tests.test_web import Page, get_page
from web import create_app
from web.feed import lead_text

ATOM = "{http://www.w3.org/2005/Atom}"
OPENSEARCH = "{http://a9.com/-/spec/opensearch/1.1/}"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def get_feed(client, url: str) -> ET.Element:
    response = client.get(url)
    assert (response.status_code, response.headers["Content-Type"]) == (200, ATOM_TYPE), response.get_data()
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{ATOM}feed"
    return root


def entries(feed: ET.Element) -> list[dict[str, str]]:
    """Each entry's fields; a missing one is "", so it fails the comparison that needs it."""
    return [
        {
            "id": entry.findtext(f"{ATOM}id", ""),
            "title": entry.findtext(f"{ATOM}title", ""),
            "updated": entry.findtext(f"{ATOM}updated", ""),
            "link": entry.findall(f"{ATOM}link")[0].get("href", ""),
            "author": entry.findtext(f"{ATOM}author/{ATOM}name", ""),
            "summary": entry.findtext(f"{ATOM}summary", ""),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]


def test_feed_of_a_search_lists_releases_newest_first(client):
    feed = get_feed(client, "/feed?q=Hochwasser")
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/feed?q=Hochwasser"
    assert feed.findtext(f"{ATOM}title") == "Pressemitteilungen: „Hochwasser“"
    assert feed.findtext(f"{ATOM}updated") == "2025-02-03T00:00:00Z"
    links = {link.get("rel"): (link.get("type"), link.get("href")) for link in feed.findall(f"{ATOM}link")}
    assert links == {
        "self": ("application/atom+xml", "http://localhost/feed?q=Hochwasser"),
        "alternate": ("text/html", "http://localhost/?q=Hochwasser&sortierung=datum"),
    }
    found = entries(feed)
    assert [(e["id"], e["updated"], e["author"]) for e in found] == [
        ("http://localhost/release/web_hochwasser_pegel", "2025-02-03T00:00:00Z", "Wasserwirtschaftsamt Elbtal"),
        ("http://localhost/release/web_hochwasser_warnung_neu", "2025-01-16T00:00:00Z", "Wasserwirtschaftsamt Elbtal"),
        ("http://localhost/release/web_hochwasser_uebung", "2024-05-20T00:00:00Z", "Landkreis Elbtal"),
        ("http://localhost/release/web_hochwasser_deich", "2023-03-10T00:00:00Z", "Landkreis Elbtal"),
    ]
    assert all(e["link"] == e["id"] for e in found)
    assert found[0]["title"] == "Pegel der Elbe sinkt, Hochwasser geht zurück"
    # The summary is the lead, plain text from the release's first sentence (not the snippet around the words).
    assert found[0]["summary"] == (
        "Der Pegel der Elbe sinkt seit Montag. Das Wasserwirtschaftsamt hebt die Warnung vor Hochwasser für die "
        "Uferbereiche auf; die Keller können wieder genutzt werden."
    )
    assert found[3]["summary"].startswith("Elbdorf - Zum Schutz vor Hochwasser erhöht der Landkreis den Deich")


def test_feed_takes_a_unique_part_of_an_issuer_name(client):
    feed = get_feed(client, "/feed?quelle=wasserwirtschaft")
    assert [e["id"].rsplit("/", 1)[1] for e in entries(feed)] == ["web_hochwasser_pegel", "web_hochwasser_warnung_neu"]
    assert feed.findtext(f"{ATOM}title") == "Pressemitteilungen: Wasserwirtschaftsamt Elbtal"


def test_feed_takes_the_page_filters_and_ignores_its_sort(client):
    feed = get_feed(client, "/feed?q=Hochwasser&quelle=Landkreis+Elbtal&von=2024-01-01&sortierung=relevanz")
    assert [e["id"].rsplit("/", 1)[1] for e in entries(feed)] == ["web_hochwasser_uebung"]
    assert feed.findtext(f"{ATOM}title") == "Pressemitteilungen: „Hochwasser“, Landkreis Elbtal, ab 01.01.2024"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/feed?q=Hochwasser&von=2024-01-01&quelle=Landkreis+Elbtal"


def test_feed_without_words_lists_the_newest_releases(client):
    feed = get_feed(client, "/feed")
    found = entries(feed)
    assert len(found) == 14  # fifteen releases, two of them versions of one
    assert found[0]["id"] == "http://localhost/release/web_konferenz_radwege"
    dated = [e["updated"] for e in found if e["id"] != "http://localhost/release/web_ohne_datum"]
    assert dated == sorted(dated, reverse=True)
    assert feed.findtext(f"{ATOM}title") == "Pressemitteilungen, neueste zuerst"


def test_feed_holds_the_twenty_newest_entries(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for day in range(1, 26):
        (corpus / f"tag_{day:02}.txt").write_text(
            f" date 2025-03-{day:02} Meldung vom {day}. März\n\nText der Meldung Nummer {day}.\n\nQuelle: Amt\n",
            encoding="utf-8",
        )
    settings = Settings(corpus=corpus, index=tmp_path / "index", page_size=3)
    build_index(settings)
    app = create_app(settings)
    try:
        found = entries(get_feed(app.test_client(), "/feed?q=Meldung"))
    finally:
        app.extensions["presse"].close()
    assert [e["id"] for e in found] == [f"http://localhost/release/tag_{day:02}" for day in range(25, 5, -1)]


def test_html_in_a_release_is_escaped_text_in_the_feed(client):
    response = client.get("/feed?q=Formularen")
    raw = response.get_data(as_text=True)
    assert "<script>" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    [entry] = entries(ET.fromstring(response.get_data()))
    assert entry["title"] == "Warnung vor <script>alert(1)</script> in Formularen"
    assert entry["author"] == "Institut für <b>Websicherheit</b>"
    assert "<script>alert(1)</script> ungeprüft" in entry["summary"]


def test_hostile_query_is_escaped_in_the_feed_title_and_links(client):
    response = client.get("/feed", query_string={"q": '</title><script>x</script>&'})
    feed = ET.fromstring(response.get_data())
    assert feed.findtext(f"{ATOM}title") == "Pressemitteilungen: „</title><script>x</script>&“"
    assert "<script>" not in response.get_data(as_text=True)


def test_bad_feed_parameters_are_a_german_400(client):
    page, _ = get_page(client, "/feed?von=gestern", status=400)
    assert page.text(".error").startswith("„gestern“ ist kein gültiges Datum für „von“")


def test_result_page_links_and_advertises_its_feed(client):
    page, _ = get_page(client, "/?q=Hochwasser&quelle=Landkreis+Elbtal&sortierung=datum")
    [alternate] = [link for link in page.elements("link") if link.get("rel") == "alternate"]
    assert alternate == {
        "rel": "alternate",
        "type": "application/atom+xml",
        "title": "Feed zu dieser Suche",
        "href": "/feed?q=Hochwasser&quelle=Landkreis+Elbtal",
    }
    assert [a["href"] for a in page.elements("a") if a.get("type") == "application/atom+xml"] == [alternate["href"]]
    assert page.text(".feed-link") == "Als Feed abonnieren"


def test_opensearch_description(client):
    response = client.get("/opensearch.xml")
    assert response.headers["Content-Type"] == "application/opensearchdescription+xml; charset=utf-8"
    root = ET.fromstring(response.get_data())
    assert root.tag == f"{OPENSEARCH}OpenSearchDescription"
    assert root.findtext(f"{OPENSEARCH}ShortName") == "Pressemeldungen"  # at most 16 characters, says the spec
    assert root.findtext(f"{OPENSEARCH}InputEncoding") == "UTF-8"
    urls = [(u.get("type"), u.get("rel"), u.get("template")) for u in root.findall(f"{OPENSEARCH}Url")]
    assert urls == [
        ("text/html", "results", "http://localhost/?q={searchTerms}"),
        ("application/atom+xml", "results", "http://localhost/feed?q={searchTerms}"),
        ("application/opensearchdescription+xml", "self", "http://localhost/opensearch.xml"),
    ]


def test_every_page_advertises_the_opensearch_description(client):
    for url in ["/", "/?q=Hochwasser", "/release/web_hochwasser_pegel", "/release/nix"]:
        links = Page(client.get(url).get_data(as_text=True)).elements("link")
        assert {
            "rel": "search",
            "type": "application/opensearchdescription+xml",
            "title": "Pressemitteilungen",
            "href": "/opensearch.xml",
        } in links


# The Host header is the client's to choose; it was written into every absolute link (`Host: evil.example` gave
# `http://evil.example/opensearch.xml`, feed links and citation permalinks on evil.example).
EVIL = {"Host": "evil.example"}


def absolute_links(client, headers: dict[str, str]) -> dict[str, str]:
    """One link of each kind: OpenSearch's self link, the feed's self link and first entry, a citation permalink."""
    opensearch = ET.fromstring(client.get("/opensearch.xml", headers=headers).get_data())
    feed = ET.fromstring(client.get("/feed?q=Hochwasser", headers=headers).get_data())
    citation = client.get("/release/web_hochwasser_pegel/zitat.txt", headers=headers).get_data(as_text=True)
    return {
        "opensearch": opensearch.findall(f"{OPENSEARCH}Url")[2].get("template", ""),
        "feed": feed.findall(f"{ATOM}link")[0].get("href", ""),
        "entry": entries(feed)[0]["link"],
        "permalink": next(line for line in citation.splitlines() if line.startswith("Permalink: ")),
    }


def test_a_strangers_host_header_never_becomes_a_link(client):
    assert absolute_links(client, EVIL) == {
        "opensearch": "/opensearch.xml",
        "feed": "/feed?q=Hochwasser",
        "entry": "/release/web_hochwasser_pegel",
        "permalink": "Permalink: /release/web_hochwasser_pegel",
    }


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]", "[::1]:8000"])
def test_this_machines_own_names_get_absolute_links(client, host):
    assert absolute_links(client, {"Host": host})["opensearch"] == f"http://{host}/opensearch.xml"


def test_links_use_the_configured_base_url_whatever_the_host_header(make_app):
    client = make_app(base_url="https://presse.example.org/").test_client()
    assert absolute_links(client, EVIL) == {
        "opensearch": "https://presse.example.org/opensearch.xml",
        "feed": "https://presse.example.org/feed?q=Hochwasser",
        "entry": "https://presse.example.org/release/web_hochwasser_pegel",
        "permalink": "Permalink: https://presse.example.org/release/web_hochwasser_pegel",
    }


def test_with_trusted_hosts_another_host_is_refused_and_a_trusted_one_linked(make_app):
    client = make_app(trusted_hosts="presse.intern, .redaktion.example").test_client()
    for url in ["/", "/opensearch.xml", "/feed", "/api/search?q=Hochwasser"]:
        response = client.get(url, headers=EVIL)
        assert (response.status_code, response.get_data(as_text=True)) == (
            400, "Diese Adresse wird von diesem Server nicht bedient.\n"), url
    assert absolute_links(client, {"Host": "suche.redaktion.example"})["opensearch"] == (
        "http://suche.redaktion.example/opensearch.xml")
    assert absolute_links(client, {"Host": "presse.intern:8000"})["permalink"] == (
        "Permalink: http://presse.intern:8000/release/web_hochwasser_pegel")


def test_the_base_url_must_be_a_web_address():
    import pytest

    with pytest.raises(ValueError, match="base_url must be an http"):
        Settings.from_env({"PRESSE_BASE_URL": "presse.example.org"})


FIRST = "Bad Homburg (ots) - Am 20. September sperrt die Stadt die Louisenstraße, z. B. für den Markt."
SECOND = "Die Polizei bittet, über die Nr. 5 auszuweichen."
LEAD = [f"{FIRST} {SECOND}", "Anwohner können parken."]


@pytest.mark.parametrize(("limit", "lead"), [
    (400, f"{FIRST} {SECOND} Anwohner können parken."),
    # Cut after a whole sentence; not after the ordinal "20.", the abbreviation "z. B." or "Nr.".
    (140, FIRST),
    (150, f"{FIRST} {SECOND}"),
    # One sentence longer than the limit is cut at a word and says so.
    (40, "Bad Homburg (ots) - Am 20. September …"),
])
def test_a_feed_summary_is_the_lead_in_whole_sentences(limit, lead):
    assert lead_text(LEAD, limit=limit) == lead
