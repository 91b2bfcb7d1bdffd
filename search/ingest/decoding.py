"""Turning the bytes of an input file into normalised text: finding the encoding, repairing mojibake.

UTF-8 (with or without BOM), UTF-16 and UTF-32 with a BOM, UTF-16 without one (recognised by its NUL bytes) and
Windows-1252 are read. ISO-8859-1 needs no detection of its own: its printable characters are Windows-1252's, and
its bytes 0x80-0x9F are control codes that no text uses. Mojibake (UTF-8 read as Windows-1252 and saved again,
`GrÃ¶ÃŸe`) is repaired with ftfy, which only changes text that is very unlikely to be meant as it is.
"""

from __future__ import annotations

import codecs
import re

import ftfy

from ..errors import ReleaseError
from ..german.text import normalize_text

# Byte-order marks of the wide encodings, longest first: UTF-32 LE's starts with UTF-16 LE's. UTF-8's BOM is only
# dropped, and the bytes after it go through detection: a release pasted together from two sources is still read.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
]
# Declared charsets that say less than detection finds: ASCII is often 8-bit text in disguise, and ISO-8859-1 is
# usually Windows-1252 (as the HTML standard assumes).
_UNINFORMATIVE_CHARSETS = {"ascii", "iso8859-1"}
# Vertical tab and form feed break lines (Word exports its manual line break as a vertical tab).
_LINE_BREAKS = re.compile("[\x0b\x0c]")
# Other control characters: a few stray ones (a DOS end-of-file mark) are dropped, many mean the file is not text.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
MAX_STRAY_CONTROLS = 2
MAX_CONTROL_SHARE = 0.01
# Mojibake of UTF-8 always has a lead byte read as Â…ô followed by a continuation byte read as Windows-1252 (or
# Latin-1) or leaves C1 controls; text without either is not run through ftfy, which costs 0.3 ms per release.
_CONTINUATIONS = {bytes([b]).decode("cp1252", "ignore") for b in range(0x80, 0xC0)}
_CONTINUATIONS |= {chr(b) for b in range(0x80, 0xC0)}
_MOJIBAKE_HINT = re.compile("[\u0080-\u009f]|[\u00c2-\u00f4][" + re.escape("".join(sorted(_CONTINUATIONS))) + "]")
# Files that are never text, even when (as an uncompressed PDF may) they hold no NUL byte: PDF, PNG, GIF, JPEG, ZIP
# (and so .docx/.odt), OLE (.doc/.xls).
_BINARY_SIGNATURES = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
# UTF-16 without BOM: in German text nearly every character is below U+0100, so one byte of each pair is NUL.
_UTF16_MIN_NUL_SHARE = 0.5
_UTF16_MAX_OTHER_NUL_SHARE = 0.05


def decode_release_bytes(data: bytes, name: str, charset: str | None = None) -> str:
    """The text of `data`, normalised; `charset` is a declared encoding (an e-mail part's) to try first.

    Raises ReleaseError `<name>: <reason>` when the bytes are empty, binary or not text in a known encoding.
    """
    if not data.strip():
        raise ReleaseError(f"{name}: the file is empty")
    if data.startswith(_BINARY_SIGNATURES):
        raise ReleaseError(f"{name}: binary data, not a text release")
    text = _decode(data, name, charset)
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_encoding(text)
    text = _LINE_BREAKS.sub("\n", text)
    controls = len(_CONTROLS.findall(text))
    if controls > MAX_STRAY_CONTROLS and controls > MAX_CONTROL_SHARE * len(text):
        raise ReleaseError(f"{name}: binary data, not a text release")
    text = normalize_text(_CONTROLS.sub("", text))
    if not text.strip():
        raise ReleaseError(f"{name}: the file is empty")
    return text


def _decode(data: bytes, name: str, charset: str | None) -> str:
    data = data.removeprefix(codecs.BOM_UTF8)
    for bom, encoding, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as error:
                raise ReleaseError(
                    f"{name}: cannot be decoded as text (not valid {label} after its byte-order mark, "
                    f"byte {error.start + len(bom)})"
                ) from None
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, name)
    declared = _declared_encoding(charset)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass  # the declaration is wrong; detection below decides
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ReleaseError(
            f"{name}: cannot be decoded as text (neither UTF-8 nor Windows-1252, byte {error.start})"
        ) from None


def _decode_utf16_without_bom(data: bytes, name: str) -> str:
    """UTF-16 LE or BE recognised by where its NUL bytes are; anything else with NULs is binary."""
    encoding = _utf16_byte_order(data)
    if encoding is None:
        raise ReleaseError(f"{name}: binary data, not a text release")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ReleaseError(
            f"{name}: cannot be decoded as text (looks like UTF-16 without a byte-order mark, but is not valid UTF-16)"
        ) from None


def _utf16_byte_order(data: bytes) -> str | None:
    if len(data) < 4 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even_nuls, odd_nuls = data[0::2].count(0) / pairs, data[1::2].count(0) / pairs
    if odd_nuls >= _UTF16_MIN_NUL_SHARE and even_nuls <= _UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-le"
    if even_nuls >= _UTF16_MIN_NUL_SHARE and odd_nuls <= _UTF16_MAX_OTHER_NUL_SHARE:
        return "utf-16-be"
    return None


def _declared_encoding(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        encoding = codecs.lookup(charset.strip().strip("\"'")).name
    except LookupError:
        return None
    return None if encoding in _UNINFORMATIVE_CHARSETS else encoding
