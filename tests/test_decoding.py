import codecs
import random

import pytest

from search.errors import ReleaseError
from search.ingest.decoding import decode_release_bytes

QUOTE = "„Zitat“ kostet 5 € – ok"
UMLAUTS = "Größe Ärzte Straße"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        pytest.param("Größe".encode(), "Größe", id="utf-8"),
        pytest.param("\ufeffPressemitteilung: Umsatz steigt".encode("utf-8-sig"), "Pressemitteilung: Umsatz steigt",
                     id="utf-8-sig-with-a-second-bom"),
        pytest.param(QUOTE.encode("utf-8-sig"), QUOTE, id="utf-8-sig"),
        pytest.param(QUOTE.encode("cp1252"), QUOTE, id="windows-1252"),
        pytest.param(UMLAUTS.encode("latin-1"), UMLAUTS, id="iso-8859-1"),
        pytest.param(codecs.BOM_UTF8 + UMLAUTS.encode("latin-1"), UMLAUTS, id="utf-8-bom-before-latin-1"),
        pytest.param(codecs.BOM_UTF16_LE + QUOTE.encode("utf-16-le"), QUOTE, id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + QUOTE.encode("utf-16-be"), QUOTE, id="utf-16-be-bom"),
        pytest.param(codecs.BOM_UTF32_LE + QUOTE.encode("utf-32-le"), QUOTE, id="utf-32-le-bom"),
        pytest.param("Pressemitteilung der Ärztekammer".encode("utf-16-le"), "Pressemitteilung der Ärztekammer",
                     id="utf-16-le-without-bom"),
        pytest.param("Pressemitteilung der Ärztekammer".encode("utf-16-be"), "Pressemitteilung der Ärztekammer",
                     id="utf-16-be-without-bom"),
        pytest.param("Größe der Ärzte".encode().decode("cp1252").encode(), "Größe der Ärzte", id="mojibake"),
        pytest.param("GrÃ¶ÃŸe".encode(), "Größe", id="mojibake-literal"),
        pytest.param("Größe".encode().decode("cp1252").encode().decode("cp1252").encode(), "Größe",
                     id="mojibake-twice"),
        pytest.param("\x84Zitat\x93 kostet 5 \x80".encode(), "„Zitat“ kostet 5 €", id="c1-controls-for-cp1252"),
        pytest.param("Die Note „Ä“ gibt es nicht".encode(), "Die Note „Ä“ gibt es nicht", id="not-mojibake"),
        pytest.param("Bu\u0308rger".encode(), "Bürger", id="nfd-to-nfc"),
        pytest.param("Pressemit\u00adteilung Jahres\u200babschluss 5\u00a0€".encode(),
                     "Pressemitteilung Jahresabschluss 5 €", id="invisible-and-odd-spaces"),
        pytest.param(b"Zeile eins\r\nZeile zwei\rZeile drei", "Zeile eins\nZeile zwei\nZeile drei", id="crlf-and-cr"),
        pytest.param(b"Zeile eins\x0bZeile zwei\x0cSeite zwei\x1a", "Zeile eins\nZeile zwei\nSeite zwei",
                     id="line-breaks-and-a-stray-control"),
    ],
)
def test_text_is_decoded_repaired_and_normalised(data, text):
    assert decode_release_bytes(data, "pm.txt") == text


def test_a_declared_charset_is_tried_first():
    assert decode_release_bytes("Preis: 5 €".encode("iso-8859-15"), "pm.eml", charset="iso-8859-15") == "Preis: 5 €"
    # Without the declaration the same byte is Windows-1252's currency sign.
    assert decode_release_bytes("Preis: 5 €".encode("iso-8859-15"), "pm.eml") == "Preis: 5 ¤"


@pytest.mark.parametrize(
    ("data", "charset", "text"),
    [
        pytest.param("Größe".encode(), "us-ascii", "Größe", id="ascii-declared-utf-8-sent"),
        pytest.param(QUOTE.encode("cp1252"), "iso-8859-1", QUOTE, id="latin-1-declared-cp1252-sent"),
        pytest.param(UMLAUTS.encode("latin-1"), "utf-8", UMLAUTS, id="utf-8-declared-latin-1-sent"),
        pytest.param(UMLAUTS.encode(), "x-unbekannt", UMLAUTS, id="unknown-charset"),
    ],
)
def test_a_wrong_or_vague_declaration_falls_back_to_detection(data, charset, text):
    assert decode_release_bytes(data, "pm.eml", charset=charset) == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        pytest.param(b"", "the file is empty", id="empty"),
        pytest.param(b" \r\n\t\n ", "the file is empty", id="whitespace"),
        pytest.param(codecs.BOM_UTF8, "the file is empty", id="utf-8-bom-only"),
        pytest.param(codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "the file is empty", id="utf-16-whitespace"),
        pytest.param("\u00ad\u200b\n".encode(), "the file is empty", id="invisible-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00",
                     "binary data, not a text release", id="png"),
        pytest.param(b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n1 0 obj\n<< /Length 5 >>\nstream\n\x00\x01\x02\nendstream",
                     "binary data, not a text release", id="pdf"),
        pytest.param(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
                     "binary data, not a text release", id="pdf-without-nul-bytes"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00\x08\x00word/document.xml", "binary data, not a text release",
                     id="docx"),
        pytest.param(b"\x01\x02\x03\x04abc" * 50, "binary data, not a text release", id="control-characters"),
        pytest.param(b"Gr\x81\x8de", "cannot be decoded as text (neither UTF-8 nor Windows-1252, byte 2)",
                     id="bytes-windows-1252-lacks"),
        pytest.param(codecs.BOM_UTF16_LE + b"\x00\xd8\x00\xd8",
                     "cannot be decoded as text (not valid UTF-16 after its byte-order mark, byte 2)",
                     id="utf-16-bom-lone-surrogate"),
        pytest.param("Eine lange Zeile in UTF-16 ohne Byte-Order-Mark.".encode("utf-16-le") + b"\x00\xdc",
                     "cannot be decoded as text (looks like UTF-16 without a byte-order mark, but is not valid UTF-16)",
                     id="utf-16-without-bom-lone-surrogate"),
    ],
)
def test_unusable_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(ReleaseError) as caught:
        decode_release_bytes(data, "pm.txt")
    assert str(caught.value) == f"pm.txt: {reason}"


def test_random_bytes_with_nuls_are_binary():
    data = random.Random(7).randbytes(4096)
    assert b"\x00" in data
    with pytest.raises(ReleaseError, match=r"^x\.bin: binary data, not a text release$"):
        decode_release_bytes(data, "x.bin")


def test_odd_length_utf16_without_bom_is_binary_not_garbage():
    # One byte short: never decoded as `P\x00M\x00` text.
    with pytest.raises(ReleaseError, match=r"^pm\.txt: binary data, not a text release$"):
        decode_release_bytes("Pressemitteilung".encode("utf-16-le")[:-1], "pm.txt")
