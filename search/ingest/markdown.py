"""Markdown reduced to the text a reader sees: no heading marks, emphasis, link targets, images, HTML or fences."""

from __future__ import annotations

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from markdown_it.token import Token

# CommonMark plus the two GitHub extensions press offices use: tables and ~~struck~~ text.
_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Inline tokens whose content is text a reader sees.
_TEXT_TOKENS = {"text", "text_special", "code_inline"}


def markdown_to_text(markdown: str) -> tuple[str, str]:
    """The plain text of `markdown` (blocks apart by a blank line), and a leading level-1 heading taken out or ""."""
    blocks: list[str] = []
    heading = ""
    row: list[str] = []  # the cells of the table row being read
    table: list[str] = []  # the rows of the table being read
    item_number = ""  # "11." while reading an ordered list item: "11. September" must keep its number
    tokens = _PARSER.parse(markdown)
    for index, token in enumerate(tokens):
        if token.type == "list_item_open" and token.markup in (".", ")"):
            item_number = f"{token.info}{token.markup} "
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            opener = tokens[index - 1]
            if opener.type == "heading_open" and opener.tag == "h1" and not blocks and not heading and not table:
                heading = text.strip()
            elif opener.type in ("th_open", "td_open"):
                row.append(text.strip())
            else:
                blocks.append(item_number + text)
                item_number = ""
        elif token.type == "tr_close":
            table.append(" ".join(row))
            row = []
        elif token.type == "table_close":
            blocks.append("\n".join(table))
            table = []
        elif token.type in ("fence", "code_block"):
            blocks.append(token.content)
        elif token.type == "html_block":
            blocks.append(_html_text(token.content))
    return "\n\n".join(b.strip() for b in blocks if b.strip()), heading


def _inline_text(children: list[Token]) -> str:
    """The text of an inline run: link texts stay, images (their alt text included) and inline HTML go."""
    parts: list[str] = []
    for child in children:
        if child.type == "image":
            continue  # its alt text is in its own children, which are not walked
        if child.type in _TEXT_TOKENS:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def _html_text(html: str) -> str:
    """The text of a block of raw HTML: its tags, comments and scripts go."""
    return BeautifulSoup(html, "html.parser").get_text()
