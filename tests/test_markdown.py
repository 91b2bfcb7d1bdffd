import pytest

from search.ingest.markdown import markdown_to_text


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("Die **Stadt** baut *neue* Wege.", "Die Stadt baut neue Wege."),
        ("Ein __starkes__ und _betontes_ Wort, aber snake_case_name bleibt.",
         "Ein starkes und betontes Wort, aber snake_case_name bleibt."),
        ("Siehe [die Karte](https://x.example/karte_(neu) \"Titel\").", "Siehe die Karte."),
        ("Siehe [Seite][ref].\n\n[ref]: https://x.example", "Siehe Seite."),
        ("Mehr unter <https://x.example/a> oder <presse@x.example>.",
         "Mehr unter https://x.example/a oder presse@x.example."),
        ("Bild: ![Foto vom Fest](fest.jpg) Ende.", "Bild:  Ende."),
        ("Text <!-- geheim\nüber zwei Zeilen --> weiter.", "Text  weiter."),
        ("Ein <span class=\"x\">Wort</span><br/>", "Ein Wort"),
        ("Kein \\*Stern\\* und \\_kein\\_ Unterstrich.", "Kein *Stern* und _kein_ Unterstrich."),
        ("Code: `presse add`", "Code: presse add"),
        ("~~alt~~ neu", "alt neu"),
        ("> Zitat\n> > tiefer", "Zitat\ntiefer"),
        ("Liste:\n- eins\n* zwei\n+ drei", "Liste:\n\neins\n\nzwei\n\ndrei"),
        ("11. September 2025: Fest", "11. September 2025: Fest"),
        ("#hashtag bleibt", "#hashtag bleibt"),
        ("```\ncode block\n```", "code block"),
        ("| a | b |\n|---|:-:|\n| 1 | 2 |", "a b\n1 2"),
        ("Absatz\n\n***\n\nNoch einer", "Absatz\n\n\n\nNoch einer"),
    ],
)
def test_markup_is_removed(markdown, text):
    assert markdown_to_text(markdown) == (text, "")


@pytest.mark.parametrize(
    ("markdown", "heading", "text"),
    [
        ("# Titel mit *Betonung* #\n\nText.", "Titel mit Betonung", "Text."),
        ("Titel\n=====\n\nText.", "Titel", "Text."),
        ("\n\n#   Titel\nText.", "Titel", "Text."),
        ("Vorweg.\n\n# Kein Titel\n\nText.", "", "Vorweg.\n\n\nKein Titel\n\n\nText."),
        ("## Unterzeile\n\nText.", "", "Unterzeile\n\n\nText."),
        ("# Eins\n\n# Zwei\n\nText.", "Eins", "Zwei\n\n\nText."),
        ("Unterzeile\n---\nText.", "", "Unterzeile\n\nText."),
    ],
)
def test_a_leading_level_one_heading_is_returned(markdown, heading, text):
    assert markdown_to_text(markdown) == (text, heading)
