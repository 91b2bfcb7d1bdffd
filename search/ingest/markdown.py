"""Markdown reduced to the text a reader sees: no heading marks, emphasis, link targets, images, HTML or fences."""

from __future__ import annotations

import re

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S")
_ATX_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_QUOTE_MARK = re.compile(r"^ {0,3}>[ \t]?")
_BULLET = re.compile(r"^[ \t]*[-*+][ \t]+")
_TABLE_SEPARATOR = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
# Escaped characters are parked in the private-use area while the markup around them is removed.
_PARKED = 0xE000
# Each pattern's inner part stops at its own delimiter, so that unmatched markup costs linear, not quadratic, time.
_INLINE = [
    (re.compile(r"!\[[^\[\]\n]*\]\([^()\n]*\)"), ""),  # an image: its address and alt text are not release text
    (re.compile(r"!\[[^\[\]\n]*\]\[[^\[\]\n]*\]"), ""),
    (re.compile(r"\[([^\[\]\n]+)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]"), r"\1"),
    (re.compile(r"<((?:https?|ftp)://[^<>\s]+)>"), r"\1"),
    (re.compile(r"<([^@<>\s]+@[^@<>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>"), ""),  # inline HTML
    (re.compile(r"(`+)([^`\n]+)\1"), r"\2"),
    (re.compile(r"\*\*(?=\S)([^*\n]*?\S)\*\*"), r"\1"),
    (re.compile(r"__(?=\S)([^_\n]*?\S)__"), r"\1"),
    (re.compile(r"\*(?=\S)([^*\n]*?\S)\*"), r"\1"),
    (re.compile(r"(?<![\w\\])_(?=\S)([^_\n]*?\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)([^~\n]*?\S)~~"), r"\1"),
]


def markdown_to_text(markdown: str) -> tuple[str, str]:
    """The plain text of `markdown`, and the text of a leading level-1 heading (taken out of the text) or ""."""
    blocks: list[str] = []  # lines of text; "" separates paragraphs
    heading = ""
    for line in _COMMENT.sub("", markdown).split("\n"):
        if _FENCE.match(line) or _REFERENCE_DEFINITION.match(line) or _TABLE_SEPARATOR.match(line):
            continue
        underline = _SETEXT_UNDERLINE.match(line)
        if underline and blocks and blocks[-1].strip():  # `Title` over `=====` or `-----`
            heading = _add_heading(blocks, blocks.pop().strip(), line.strip()[0] == "=", heading)
            continue
        if _RULE.match(line):
            blocks.append("")
            continue
        while _QUOTE_MARK.match(line):
            line = _QUOTE_MARK.sub("", line, count=1)
        atx = _ATX_HEADING.match(line)
        if atx:
            heading = _add_heading(blocks, (atx.group(2) or "").strip(), atx.group(1) == "#", heading)
        elif _BULLET.match(line):
            blocks += ["", _BULLET.sub("", line)]
        elif line.lstrip().startswith("|"):
            blocks.append(" ".join(cell.strip() for cell in line.strip().strip("|").split("|")))
        else:
            blocks.append(line)
    return _inline("\n".join(blocks)).strip(), _inline(heading).strip()


def _add_heading(blocks: list[str], text: str, level_one: bool, heading: str) -> str:
    """A heading is a paragraph of its own, except the leading level-1 heading: that one is returned instead."""
    if level_one and not heading and not any(b.strip() for b in blocks):
        return text
    blocks += ["", text, ""]
    return heading


def _inline(text: str) -> str:
    text = _ESCAPE.sub(lambda m: chr(_PARKED + ord(m.group(1))), text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return re.sub("[\ue000-\ue07f]", lambda m: chr(ord(m.group(0)) - _PARKED), text)
