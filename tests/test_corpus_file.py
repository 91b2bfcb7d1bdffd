from datetime import date

import pytest

from search.errors import ReleaseError
from search.ingest.corpus_file import (
    MAX_HEADLINE_CHARS,
    body_hash,
    derive_title,
    fit_title,
    format_release,
    parse_text_release,
    release_file_name,
)
from search.release import Release
from tests.conftest import FIXTURES, SAMPLE


def read(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_sample_release_metadata():
    release = parse_text_release(SAMPLE.read_text(encoding="utf-8"), "000_9bbab4686f7edeba")
    assert release.date == date(2025, 9, 11)
    assert release.source == "Xinhua Silk Road Information Service (ots)"
    # The first paragraph is a 261-character lead sentence, not a headline: the title is derived from it.
    assert release.title == (
        "Die Exchange-Konferenz 2025 zur integrierten Entwicklung des globalen industriellen Internets, "
        "die unter dem Motto …"
    )
    assert release.paragraphs[0].startswith("Die Exchange-Konferenz 2025 zur integrierten")
    assert release.paragraphs[-1].endswith("eingehenden Austausch und gegenseitiges Lernen zu fördern.")
    assert len(release.paragraphs) == 10


def test_headline_becomes_title_and_is_not_repeated_in_text():
    release = parse_text_release(read("unfall_singular.txt"), "unfall_singular")
    assert release.title == "Unfall auf der Hanauer Landstraße"
    assert release.date == date(2019, 3, 4)
    assert release.source == "Polizeipräsidium Frankfurt am Main (ots)"
    assert release.paragraphs == [
        "Am Montagmorgen stießen zwei Pkw an der Kreuzung Hanauer Landstraße / Ratsweg zusammen. "
        "Ein Fahrer wurde leicht verletzt.",
        "Die Polizei bittet Zeugen, sich zu melden.",
    ]


def test_ots_dateline_gives_place_and_lead_gives_title():
    release = parse_text_release(read("ots_dateline_ohne_titel.txt"), "x")
    assert release.place == "Frankfurt"
    assert release.title == (
        "Die Polizei hat am Dienstagabend in Bornheim einen mutmaßlichen Taschendieb festgenommen, nachdem ihn "
        "eine aufmerksame …"
    )
    assert release.text.startswith("Frankfurt (ots) - Die Polizei hat")


def test_release_without_date_prefix():
    release = parse_text_release(read("ohne_datum_handelskammer.txt"), "x")
    assert release.date is None
    assert release.title == "Neue Ausstellung im Rathaus"
    assert release.source == "Stadt Musterstadt"


def test_place_from_ots_headline_prefix():
    raw = " date 2015-11-24 POL-F: 151124 - 928 Frankfurt-Niederursel: Verkehrsunfallflucht\n\nText.\n\nQuelle: P\n"
    release = parse_text_release(raw, "x")
    assert release.title == "POL-F: 151124 - 928 Frankfurt-Niederursel: Verkehrsunfallflucht"
    assert release.place == "Frankfurt-Niederursel"


def test_text_is_normalised():
    raw = (" date 2020-01-01 Presse\u00admitteilung der Stadt\n\n"
           "Bu\u0308rger\u200b und Ja\u00adhresabschluss.\n\nQuelle: Q\n")
    release = parse_text_release(raw, "x")
    assert release.title == "Pressemitteilung der Stadt"
    assert release.text == "Bürger und Jahresabschluss."


@pytest.mark.parametrize(
    ("lead", "title"),
    [
        ("Kurzer Satz. Zweiter Satz.", "Kurzer Satz."),
        ("Am 6. September fand die Feier statt. Danach nicht.", "Am 6. September fand die Feier statt."),
        ("Die Polizei sucht z.B. Zeugen. Mehr folgt.", "Die Polizei sucht z.B. Zeugen."),
        ("ohne Punkt am Ende", "ohne Punkt am Ende"),
    ],
)
def test_derive_title_takes_the_first_sentence(lead, title):
    assert derive_title(lead) == title


def test_invalid_date_is_an_error():
    with pytest.raises(ReleaseError, match=r"x: invalid date '2019-13-45' in the first line"):
        parse_text_release(" date 2019-13-45 Titel\n\nText\n\nQuelle: Q\n", "x")


def test_release_of_only_a_source_line_is_an_error():
    with pytest.raises(ReleaseError, match="x: the release has no text"):
        parse_text_release(" date 2019-01-01 \n\nQuelle: Q\n", "x")


# ---- writing ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "paragraphs", "expected"),
    [
        ("Ein Titel", ["Text."], ("Ein Titel", True)),
        # No title: derived from the lead, and written as a headline when the short lead would be read as one.
        ("", ["Kurzer Satz. Noch einer.", "Zweiter Absatz."], ("Kurzer Satz.", True)),
        ("", ["Ein einziger Absatz."], ("Ein einziger Absatz.", False)),
        ("", ["Lang. " + "X" * MAX_HEADLINE_CHARS, "Zweiter Absatz."], ("Lang.", False)),
        ("Wort " * 60, ["Text."], ("Wort " * 46 + "Wort …", True)),
    ],
)
def test_fit_title_settles_what_the_file_is_read_back_with(title, paragraphs, expected):
    assert fit_title(title, paragraphs) == expected
    fitted, headline = expected
    release = Release(id="x", title=fitted, text="\n\n".join(paragraphs), headline=headline)
    back = parse_text_release(format_release(release, headline), "x")
    assert (back.title, back.headline, back.paragraphs) == (fitted, headline, paragraphs)


def test_format_release_writes_the_sample_shape_with_metadata_lines():
    release = Release(id="x", title="Zebrastreifen  erneuert", text="Die Stadt\nhat ihn erneuert.\n\nMehr.",
                      date=date(2024, 5, 6), source="Stadt Musterstadt", place="Musterstadt",
                      url="https://musterstadt.example/z", origin="zebra.html", version_of="00001_ab")
    assert format_release(release, headline=True) == (
        " date 2024-05-06 Zebrastreifen erneuert\n\nDie Stadt hat ihn erneuert.\n\nMehr.\n\n"
        "Quelle: Stadt Musterstadt\nURL: https://musterstadt.example/z\nOrt: Musterstadt\nDatei: zebra.html\n"
        "Fassung von: 00001_ab\n"
    )
    back = parse_text_release(format_release(release, headline=True), "x")
    assert (back.url, back.place, back.origin, back.version_of) == (release.url, "Musterstadt", "zebra.html",
                                                                  "00001_ab")


def test_body_hash_ignores_metadata_and_white_space_and_names_the_file():
    one = Release(id="a", title="A", text="Ein  Text.\n\nZwei.", source="Q")
    two = Release(id="b", title="B", text="Ein Text.\n\nZwei.", url="https://x.example")
    assert body_hash(one) == body_hash(two)
    assert body_hash(one) != body_hash(Release(id="a", title="A", text="Ein Text. Zwei."))
    assert release_file_name(7, body_hash(one)) == f"00007_{body_hash(one)[:16]}.txt"
