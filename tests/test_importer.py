from datetime import date
from pathlib import Path

import pytest

from search.errors import ReleaseError
from search.ingest.corpus_file import format_release, parse_text_release
from search.ingest.importer import Imported, import_release
from search.release import Release
from tests.conftest import SAMPLE

IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def imported(name: str) -> Imported:
    return import_release((IMPORT_FIXTURES / name).read_bytes(), str(IMPORT_FIXTURES / name))


def fields(release: Release) -> dict:
    return {f: getattr(release, f) for f in ("title", "date", "source", "place", "url", "origin")}


def searchable(release: Release) -> str:
    return f"{release.title}\n{release.text}"


# ---- HTML pages -------------------------------------------------------------------------------------------------


def test_presseportal_page_keeps_the_release_and_its_metadata():
    result = imported("presseportal_polizei.html")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "POL-F: 250911 - 1034 Frankfurt-Bornheim: Zeugen nach Taschendiebstahl gesucht",
        "date": date(2025, 9, 11),  # JSON-LD datePublished
        "source": "Polizeipräsidium Frankfurt am Main (ots)",  # from "Original-Content von: …"
        "place": "Frankfurt",  # the ots dateline
        "url": "https://www.presseportal.de/blaulicht/pm/4970/6112345",  # og:url before the canonical link
        "origin": "presseportal_polizei.html",
    }
    assert result.release.paragraphs == [
        "Frankfurt (ots) - Am Mittwochnachmittag (10.09.2025) hat ein bislang unbekannter Mann einer 78-jährigen "
        "Frau in der Berger Straße die Geldbörse aus der Handtasche gezogen.",
        "Die Seniorin bemerkte den Diebstahl erst an der Kasse eines Supermarktes. Der Täter wird als etwa 30 Jahre "
        "alt und 1,80 Meter groß beschrieben; er trug eine dunkle Kappe.",
        "Hinweise nimmt das 6. Polizeirevier unter der Rufnummer 069 / 755-10600 entgegen. „Jeder Hinweis kann "
        "helfen“, sagte ein Sprecher.",
        "Rückfragen bitte an: Polizeipräsidium Frankfurt am Main Pressestelle Telefon: 069 / 755-82110",
    ]


@pytest.mark.parametrize(
    "chrome",
    [
        "Cookies", "akzeptieren", "Startseite", "Blaulicht", "Suchbegriff", "Suchen", "presseportal",  # banner, nav
        "dataLayer", "gtag", "Trackingpixelwert", "NewsArticle", "cookie-layer",  # scripts, JSON-LD, styles
        "JavaScript", "Google Tag Manager", "Kommentartext", "Anzeige", "Teaser-Slot",  # noscript, comments
        "teilen", "Facebook", "Per E-Mail", "Impressum", "Datenschutz", "news aktuell GmbH",  # share, footer
        "Weitere Meldungen", "Radfahrer verletzt", "Einbruch in Kiosk",  # related stories
        "11.09.2025", "10:15", "Original-Content",  # the dateline and the issuer line became metadata
    ],
)
def test_presseportal_page_chrome_is_not_searchable(chrome):
    assert chrome not in searchable(imported("presseportal_polizei.html").release)


def test_city_press_office_page_in_windows_1252():
    result = imported("stadt_pressestelle.html")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Neue Radwege für die Innenstadt",  # the h1; the <title> has a "Pressemitteilung:" prefix
        "date": date(2025, 3, 3),  # the date line above the headline
        "source": "Presse- und Informationsamt der Stadt Musterstadt",  # meta author
        "place": "",
        "url": "https://www.musterstadt.de/presse/2025/radwege-innenstadt.html",  # the canonical link
        "origin": "stadt_pressestelle.html",
    }
    assert result.release.paragraphs == [
        "Die Stadt baut bis Herbst vier Kilometer neue Radwege zwischen Bahnhof und Altstadt.",
        "Mit dem Beschluss des Stadtrats vom Dienstag beginnt der Umbau der Goethestraße. „Wir machen Radfahren "
        "sicherer“, sagte Oberbürgermeisterin Anna Beispiel.",
        "Die Arbeiten kosten rund 2,4 Millionen €; 60 Prozent trägt das Land – den Rest die Stadt.",
        "Während der Bauzeit wird der Verkehr über die Schillerstraße umgeleitet.",
        "Presse- und Informationsamt, Rathausplatz 1, 12345 Musterstadt, Telefon 0123 456-789",
    ]


@pytest.mark.parametrize(
    "chrome",
    [
        "Zum Inhalt", "Leichte Sprache", "Gebärdensprache", "Rathaus & Politik", "Leben in Musterstadt",  # nav
        "Sie sind hier", "Pressemitteilungen",  # breadcrumb
        "Mehr zum Thema", "Radverkehrskonzept", "Mängelmelder",  # related links
        "Seite teilen", "Facebook", "WhatsApp",  # share buttons
        "Pressesprecherin", "Stadtratssitzung",  # sidebar
        "Impressum", "Barrierefreiheit", "Cookies",  # footer, hidden cookie hint
        "html5shiv", "_paq", "trackPageView",  # conditional comment, script
    ],
)
def test_city_press_office_page_chrome_is_not_searchable(chrome):
    assert chrome not in searchable(imported("stadt_pressestelle.html").release)


def test_malformed_page_with_unclosed_tags():
    result = imported("verein_kaputt.HTM")  # the suffix is matched case-insensitively
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Sommerfest der Gartenfreunde",  # <title> without its " | site" part
        "date": date(2025, 6, 14),  # the first German date in the text
        "source": "Verein Gartenfreunde e.V.",
        "place": "",
        "url": "",
        "origin": "verein_kaputt.HTM",
    }
    assert result.release.paragraphs == [
        'Das Sommerfest der Gartenfreunde findet am 14. Juni 2025 in der Anlage "Am Stadtpark" statt.',
        "Es gibt Äpfel, Kuchen & Musik. Eintritt frei!",
    ]
    for hidden in ("alert", "TODO", "Fotos", "font-family", "Home", "Termine", "Kontakt"):
        assert hidden not in searchable(result.release)


def test_html_page_without_any_title_gets_a_title_from_its_lead():
    page = b"<html><body><main><p>Die Stadt pflanzt 200 B&auml;ume. Sie kosten 40.000 Euro.</p>" \
           b"<p>Gepflanzt wird im Herbst.</p></main></body></html>"
    result = import_release(page, "baeume.html")
    assert result.release.title == "Die Stadt pflanzt 200 Bäume."
    assert result.release.paragraphs == ["Die Stadt pflanzt 200 Bäume. Sie kosten 40.000 Euro.",
                                         "Gepflanzt wird im Herbst."]
    # Written without a headline line, the short lead would be read back as the headline.
    assert result.headline is True


# ---- e-mail -----------------------------------------------------------------------------------------------------


def test_plain_email_subject_date_and_quelle_line():
    result = imported("strassenfest_plain.eml")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Straßenfest in der Altstadt am Wochenende",  # encoded-word subject, "WG: " dropped
        "date": date(2025, 9, 11),
        "source": "Stadt Musterstadt, Amt für Veranstaltungen",  # the Quelle line wins over From
        "place": "",
        "url": "",
        "origin": "strassenfest_plain.eml",
    }
    assert result.release.paragraphs == [
        "Am Samstag und Sonntag feiert die Altstadt ihr Straßenfest. Rund 80 Stände bieten Speisen, Getränke und "
        "Kunsthandwerk an.",
        "Die Marktstraße ist von Freitag, 18 Uhr, bis Montag, 6 Uhr, für den Verkehr gesperrt. Busse fahren über "
        "den Ring.",
    ]


def test_multipart_email_with_a_quoted_printable_latin1_html_part():
    result = imported("kellerbrand_multipart.eml")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Kellerbrand in der Mühlstraße",
        "date": date(2025, 2, 15),  # the sender's local date
        "source": "presse@feuerwehr-musterstadt.de",  # From without a display name
        "place": "",
        "url": "",
        "origin": "kellerbrand_multipart.eml",
    }
    assert result.release.paragraphs == [
        "In der Nacht zum Samstag brannte es im Keller eines Mehrfamilienhauses in der Mühlstraße. Die zwölf "
        "Bewohner brachten sich selbst in Sicherheit.",
        "Die Feuerwehr war mit 35 Kräften vor Ort; verletzt wurde niemand. Die Brandursache ermittelt die Polizei.",
    ]
    for hidden in ("Newsletter", "intern", "abonniert", "Abmelden", "margin", "Einsatzbericht", "PDF"):
        assert hidden not in searchable(result.release)


def test_email_sender_display_name_is_the_source():
    mail = (b"From: Pressestelle Stadt Musterstadt <presse@musterstadt.de>\nSubject: Test\n"
            b"Content-Type: text/plain; charset=utf-8\n\nDer Text.\n")
    assert import_release(mail, "m.eml").release.source == "Pressestelle Stadt Musterstadt"


def test_email_with_8bit_latin1_headers_and_an_undeclared_body():
    mail = (b"From: Stadt M\xfcnster <p@muenster.example>\nSubject: Gr\xfc\xdfe aus M\xfcnster\n\n"
            b"Sch\xf6ne Gr\xfc\xdfe.\n")
    release = import_release(mail, "m.eml").release
    assert (release.title, release.source, release.text) == ("Grüße aus Münster", "Stadt Münster", "Schöne Grüße.")


def test_email_with_a_broken_from_and_date():
    mail = b"From: a@\nDate: gestern\nSubject: Kurz\n\nText der Meldung.\n"
    release = import_release(mail, "m.eml").release
    assert (release.title, release.source, release.date) == ("Kurz", "a@", None)


# ---- Markdown and text ------------------------------------------------------------------------------------------


def test_markdown_with_front_matter():
    result = imported("fahrradstrassen_frontmatter.md")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Neue Fahrradstraßen im Nordend",
        "date": date(2025, 9, 11),
        "source": "Stadt Musterstadt – Mobilitätsdezernat",
        "place": "Musterstadt",
        "url": "https://www.musterstadt.de/presse/fahrradstrassen",
        "origin": "fahrradstrassen_frontmatter.md",
    }
    # The "# " heading repeats the front matter's title and is dropped; the markup is gone.
    assert result.release.paragraphs == [
        "Die Stadt richtet drei neue Fahrradstraßen ein. Details stehen im Radverkehrskonzept und auf der "
        "Projektseite.",
        "Was sich ändert",
        "Autos dürfen nur noch mit Tempo 30 fahren",
        "Radfahrende dürfen nebeneinander fahren",
        "„Wir schaffen Platz für alle“, sagte Dezernentin Eva Beispiel.",
    ]
    for hidden in ("Entwurf", "Tiefbauamt", "karte", "https", "tags", "Verkehr", "**", "_der_", "#"):
        assert hidden not in searchable(result.release)


def test_markdown_heading_is_the_headline_without_front_matter():
    result = imported("bibliothek_ueberschrift.md")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Bibliothek öffnet sonntags",
        "date": None,
        "source": "Stadtbibliothek Musterstadt",
        "place": "",
        "url": "",
        "origin": "bibliothek_ueberschrift.md",
    }
    assert result.release.text == (
        "Ab Oktober öffnet die Stadtbibliothek auch am Sonntag von 11 bis 17 Uhr. Der Eintritt ist frei, siehe "
        "Öffnungszeiten."
    )


def test_text_with_front_matter_and_a_headline_line():
    result = imported("messe_frontmatter.txt")
    assert result.headline is True
    assert fields(result.release) == {
        "title": "Ausbildungsmesse im Kongresszentrum",
        "date": date(2025, 9, 11),
        "source": "Handelskammer Musterstadt",
        "place": "",
        "url": "",
        "origin": "messe_frontmatter.txt",
    }
    assert result.release.text == "Mehr als 120 Betriebe stellen am Samstag ihre Ausbildungsberufe vor."


def test_wrapped_windows_1252_text_with_crlf():
    result = imported("umbrochen_cp1252.txt")
    assert result.release.title == (
        "Die Stadtwerke Musterstadt erhöhen zum 1. Januar 2026 den Grundpreis für Trinkwasser um 1,20 € im Monat."
    )
    assert result.release.paragraphs == [
        "Die Stadtwerke Musterstadt erhöhen zum 1. Januar 2026 den Grundpreis für Trinkwasser um 1,20 € im Monat. "
        "Der Arbeitspreis bleibt unverändert.",
        "Grund sind gestiegene Kosten für Energie und Personal.",
    ]
    assert (result.release.date, result.release.source) == (None, "")
    # The title is derived, but the 150-character lead would be read back as a headline without a headline line.
    assert result.headline is True


def test_the_sample_keeps_its_derived_title_and_no_headline():
    result = import_release(SAMPLE.read_bytes(), str(SAMPLE))
    assert result.headline is False
    assert result.release.id == ""
    assert result.release.title == (
        "Die Exchange-Konferenz 2025 zur integrierten Entwicklung des globalen industriellen Internets, "
        "die unter dem Motto …"
    )
    assert result.release.date == date(2025, 9, 11)
    assert result.release.source == "Xinhua Silk Road Information Service (ots)"
    assert result.release.origin == "000_9bbab4686f7edeba.txt"
    assert len(result.release.paragraphs) == 10


def test_a_corpus_file_keeps_its_metadata_lines():
    canonical = (" date 2024-05-06 Zebrastreifen erneuert\n\nDie Stadt hat den Zebrastreifen erneuert.\n\n"
                 "Quelle: Stadt Musterstadt\nURL: https://musterstadt.example/z\nOrt: Musterstadt\n"
                 "Datei: zebra.html\n")
    release = import_release(canonical.encode(), "00007_0123456789abcdef.txt").release
    assert fields(release) == {
        "title": "Zebrastreifen erneuert",
        "date": date(2024, 5, 6),
        "source": "Stadt Musterstadt",
        "place": "Musterstadt",
        "url": "https://musterstadt.example/z",
        "origin": "zebra.html",  # the original file's name, not the corpus file's
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-09-11", date(2025, 9, 11)),
        ("2025-09-11T10:15:00+02:00", date(2025, 9, 11)),
        ('"11.09.2025"', date(2025, 9, 11)),
        ("11. September 2025", date(2025, 9, 11)),
        ("3. März 2016", date(2016, 3, 3)),
    ],
)
def test_front_matter_dates(value, expected):
    text = f"---\ndatum: {value}\n---\nTitel\n\nText.\n"
    assert import_release(text.encode(), "pm.txt").release.date == expected


def test_front_matter_quoting_comments_and_continued_values():
    text = ("---\n# Kommentar\ntitel: 'Das ''neue'' Rathaus'\nquelle: Stadt Musterstadt # Amt 12\n"
            "ort: >\n  Bad Homburg\n  v.d.H.\nslug: ../../etc/passwd\n---\nText.\n")
    release = import_release(text.encode(), "pm.md").release
    assert (release.title, release.source, release.place) == ("Das 'neue' Rathaus", "Stadt Musterstadt",
                                                              "Bad Homburg v.d.H.")
    assert release.id == ""  # ids are the caller's; a declared one is ignored


def test_front_matter_values_yaml_reads_as_numbers_or_dates_are_taken_as_written():
    text = "\n\n---\ntitle: 112\nquelle: 1.5\ndatum: 2025-09-11 22:30:00+02:00\n---\nText.\n"  # blank lines first
    release = import_release(text.encode(), "pm.md").release
    assert (release.title, release.source, release.date) == ("112", "1.5", date(2025, 9, 11))


@pytest.mark.parametrize(
    ("front_matter", "message"),
    [
        ("title: [kaputt", "pm.md: the front matter is not valid YAML (did not find expected ',' or ']' in line 3)"),
        ("title: x\n\tort: y", "pm.md: the front matter is not valid YAML (found a tab character that violates "
                               "indentation in line 3)"),
        ("date: 2025-02-30", "pm.md: invalid date in the front matter (day is out of range for month)"),
        ("titel:\n  - Eins\n  - Zwei", "pm.md: the front matter's 'titel' is a list, not a single value"),
    ],
)
def test_malformed_front_matter_is_a_clear_error(front_matter, message):
    with pytest.raises(ReleaseError) as caught:
        import_release(f"---\n{front_matter}\n---\nText.\n".encode(), "pm.md")
    assert str(caught.value) == message


def test_dashes_around_plain_text_are_not_front_matter():
    text = "---\nErster Absatz ohne Doppelpunkt.\n---\n\nZweiter Absatz.\n"
    release = import_release(text.encode(), "pm.md").release
    # Markdown reads the first line as a heading (over `---`), and a short first paragraph is the headline.
    assert (release.title, release.text) == ("Erster Absatz ohne Doppelpunkt.", "Zweiter Absatz.")


def test_long_titles_are_cut_at_a_word_boundary():
    title = "Wort " * 60  # 300 characters
    release = import_release(f"---\ntitle: {title}\n---\nText.\n".encode(), "pm.md").release
    assert release.title == "Wort " * 46 + "Wort …"
    assert len(release.title) == 236


def test_title_whitespace_is_collapsed():
    release = import_release(b"---\ntitle: '  Viel   Platz\tim  Titel '\n---\nText.\n", "pm.txt").release
    assert release.title == "Viel Platz im Titel"


def test_text_starting_like_the_sample_takes_its_date_from_there():
    result = import_release(b"<p>date 2025-09-11 Ein Satz.</p><p>Zweiter Absatz.</p>", "x.html")
    assert result.release.date == date(2025, 9, 11)
    assert result.release.paragraphs == ["Ein Satz.", "Zweiter Absatz."]


def test_pathological_inputs_take_linear_time():
    # Each of these took minutes before the walks and patterns were made linear; --durations shows a relapse.
    deep = ("<div>" * 5000 + "<p>Tief verschachtelt.</p>" + "</div>" * 5000).encode()
    assert import_release(deep, "tief.html").release.text == "Tief verschachtelt."
    assert import_release(("_a " * 50000).encode(), "x.md").release.text == ("_a " * 50000).strip()
    assert import_release(("[a](" * 50000).encode(), "x.md").release.text == "[a](" * 50000
    json_ld = '<script type="application/ld+json">' + "[" * 100000 + "]" * 100000 + "</script>"
    assert import_release(f"{json_ld}<p>Text.</p>".encode(), "x.html").release.text == "Text."
    lead = "Am 6. September " * 20000
    assert import_release(f"{lead}\n\nZweiter Absatz.".encode(), "x.txt").release.title.startswith("Am 6. September")


# ---- standard input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "title", "text"),
    [
        pytest.param(b"\xef\xbb\xbf  \n<!doctype html><title>T</title><h1>Kopf</h1><p>Text &auml;</p>",
                     "Kopf", "Text ä", id="html"),
        pytest.param(b"Message-ID: <1@x>\nFrom: Amt <a@x.de>\nSubject: Betreff\n\nText der Mail.\n",
                     "Betreff", "Text der Mail.", id="email"),
        pytest.param(b"From amt@x.de Thu Sep 11 08:15:00 2025\nFrom: Amt <a@x.de>\nSubject: Betreff\n\nText.\n",
                     "Betreff", "Text.", id="mbox-email"),
        pytest.param(b"Kopfzeile\n\nFrom: hier beginnt kein Mailkopf.\n", "Kopfzeile",
                     "From: hier beginnt kein Mailkopf.", id="text"),
        pytest.param("Überschrift\n\nText.\n".encode("utf-16"), "Überschrift", "Text.", id="utf-16-text"),
    ],
)
def test_standard_input_is_sniffed(data, title, text):
    result = import_release(data, "-")
    assert (result.release.title, result.release.text, result.release.origin) == (title, text, "")


# ---- names and errors -------------------------------------------------------------------------------------------


def test_origin_is_the_base_name_made_readable():
    assert import_release(b"Titel\n\nText.", "/tmp/ein/ordner/pm.txt").release.origin == "pm.txt"
    assert import_release(b"Titel\n\nText.", "pm_\udce4.txt").release.origin == "pm_ä.txt"  # byte 0xE4, Latin-1
    assert import_release(b"Titel\n\nText.", "Bu\u0308rger.txt").release.origin == "Bürger.txt"
    assert import_release(b"Titel\n\nText.", "zwei\nzeilen.txt").release.origin == "zwei?zeilen.txt"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4\n", "bericht.pdf", "bericht.pdf: PDF is not supported (yet)"),
        (b"PK\x03\x04", "brief.DOCX",
         "brief.DOCX: unsupported file type .docx (supported: .txt, .md, .markdown, .html, .htm, .eml)"),
        (b"Text", "LIESMICH",
         "LIESMICH: unsupported file type (no suffix) (supported: .txt, .md, .markdown, .html, .htm, .eml)"),
        (b"", "leer.txt", "leer.txt: the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "bild.txt", "bild.txt: binary data, not a text release"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "-", "-: binary data, not a text release"),
        (b"<html><body><nav><a href='/'>Start</a></nav><script>x()</script></body></html>", "leer.html",
         "leer.html: the HTML page has no text"),
        (b"---\ntitle: Nur ein Titel\n---\n", "titel.md", "titel.md: the release has no text"),
        (b"Quelle: Stadt\n", "quelle.txt", "quelle.txt: the release has no text"),
        (b"---\ndate: 31.02.2025\n---\nText.\n", "datum.txt",
         "datum.txt: invalid date '31.02.2025' in the front matter"),
        (b" date 2025-13-01 Titel\n\nText.\n", "monat.txt", "monat.txt: invalid date '2025-13-01' in the first line"),
        (b"From: a@x.de\nSubject: Nur Anhang\nContent-Type: multipart/mixed; boundary=b\n\n--b\n"
         b"Content-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERg==\n--b--\n", "anhang.eml",
         "anhang.eml: the e-mail has no text or HTML body"),
        (b"From: a@x.de\nSubject: Leer\n\n \n", "leer.eml", "leer.eml: the e-mail has no text"),
        (b"Subject: Tief\nContent-Type: multipart/mixed; boundary=b0\n\n"
         + b"".join(b"--b%d\nContent-Type: multipart/mixed; boundary=b%d\n\n" % (i, i + 1) for i in range(1500))
         + b"--b1500\nContent-Type: text/plain\n\nText.\n", "tief.eml",
         "tief.eml: the e-mail's parts are nested too deeply"),
    ],
)
def test_unusable_inputs_are_refused_with_a_reason(data, name, message):
    with pytest.raises(ReleaseError) as caught:
        import_release(data, name)
    assert str(caught.value) == message


# ---- the round trip through the corpus's text form --------------------------------------------------------------

ROUND_TRIP_INPUTS = [
    *[pytest.param(path.read_bytes(), path.name, id=path.name) for path in sorted(IMPORT_FIXTURES.iterdir())
      if path.name != "umbrochen_cp1252.txt"],
    pytest.param(SAMPLE.read_bytes(), SAMPLE.name, id="sample"),
    pytest.param(b"Kurzer Satz. Noch einer.\nUmbrochen.\n\nZweiter Absatz.\n\nQuelle: Amt\n", "kurz.txt",
                 id="short-wrapped-lead"),
    pytest.param(b"<p>Frankfurt (ots) - Ein Satz.</p><p>Noch einer.</p><p>Quelle: Amt</p>", "-", id="stdin-html"),
    pytest.param(b"Ein einziger Absatz ohne Titel.\n", "-", id="stdin-one-paragraph"),
    pytest.param(b"<p>date 2025-09-11 Ein Satz.</p><p>Zweiter.</p><p>Quelle: Amt</p>", "x.html",
                 id="text-starting-with-a-date"),
    pytest.param(f"---\ntitle: {'Lang ' * 60}\nquelle: Q\n---\nText.\n".encode(), "lang.md", id="long-title"),
    pytest.param(b"Subject: Frankfurt: Unfall\nFrom: Polizei <p@x.de>\n\nText.\n", "unfall.eml", id="place-in-title"),
    pytest.param(
        "umbrochen_cp1252.txt",
        "umbrochen_cp1252.txt",
        id="no-source",
    ),
]


@pytest.mark.parametrize(("data", "name"), ROUND_TRIP_INPUTS)
def test_the_corpus_text_form_reads_back_as_the_same_release(data, name):
    if isinstance(data, str):
        data = (IMPORT_FIXTURES / data).read_bytes()
    result = import_release(data, name)
    back = parse_text_release(format_release(result.release, result.headline), "x")
    assert {**fields(back), "text": back.text} == {**fields(result.release), "text": result.release.text}
