"""Normalising text before it is analysed or stored: Unicode NFC, no soft hyphens or zero-width characters."""

from __future__ import annotations

import re
import unicodedata

# Soft hyphen, zero-width space/non-joiner/joiner, word joiner, BOM: invisible, and they split words.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# Characters that look like spaces but are not matched by the paragraph logic.
_ODD_SPACES = re.compile("[\u00a0\u2007\u202f]")


def normalize_text(text: str) -> str:
    """Return `text` in NFC with invisible characters removed and odd spaces made plain."""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _ODD_SPACES.sub(" ", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")
