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
        # A nested quote is a block of its own (CommonMark); the old line-by-line reading ran both into one.
        ("> Zitat\n> > tiefer", "Zitat\n\ntiefer"),
        ("> Zitat über\n> zwei Zeilen", "Zitat über\nzwei Zeilen"),
        ("Liste:\n- eins\n* zwei\n+ drei", "Liste:\n\neins\n\nzwei\n\ndrei"),
        ("11. September 2025: Fest", "11. September 2025: Fest"),  # CommonMark reads an ordered list item here
        ("1. Erstens\n2. Zweitens", "1. Erstens\n\n2. Zweitens"),
        ("<div class=\"kasten\">\n<!-- intern -->\nIm Kasten.\n</div>", "Im Kasten."),
        ("Vier Leerzeichen:\n\n    eingerückter Code", "Vier Leerzeichen:\n\neingerückter Code"),
        ("#hashtag bleibt", "#hashtag bleibt"),
        ("```\ncode block\n```", "code block"),
        ("| a | b |\n|---|:-:|\n| 1 | 2 |", "a b\n1 2"),
        ("Absatz\n\n***\n\nNoch einer", "Absatz\n\nNoch einer"),
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
        ("Vorweg.\n\n# Kein Titel\n\nText.", "", "Vorweg.\n\nKein Titel\n\nText."),
        ("## Unterzeile\n\nText.", "", "Unterzeile\n\nText."),
        ("# Eins\n\n# Zwei\n\nText.", "Eins", "Zwei\n\nText."),
        ("Unterzeile\n---\nText.", "", "Unterzeile\n\nText."),
    ],
)
def test_a_leading_level_one_heading_is_returned(markdown, heading, text):
    assert markdown_to_text(markdown) == (text, heading)
