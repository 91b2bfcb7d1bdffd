"""Reading one e-mail (.eml) as a release: its Subject, Date, sender and the text of its body."""

from __future__ import annotations

import email
import re
from dataclasses import dataclass
from datetime import date
from email import policy
from email.errors import HeaderParseError
from email.message import EmailMessage
from email.utils import parseaddr
from typing import cast

from ..errors import ReleaseError
from ..german.text import normalize_text
from .decoding import decode_release_bytes

_SURROGATES = re.compile("[\udc80-\udcff]")


@dataclass(frozen=True)
class Mail:
    """What an e-mail says; `body` is HTML when `is_html` (the message had no plain-text part)."""

    subject: str
    date: date | None
    sender: str  # the display name of the From address, else the address
    body: str
    is_html: bool


def read_mail(data: bytes, name: str) -> Mail:
    """The parts of an e-mail that make a release; prefers a text/plain body to a text/html one."""
    try:
        message = cast(EmailMessage, email.message_from_bytes(data, policy=policy.default))  # policy.default's class
        part = message.get_body(preferencelist=("plain", "html"))
    except RecursionError:
        # The stdlib parser recurses once per level of multipart nesting; no real message nests a thousand deep.
        raise ReleaseError(f"{name}: the e-mail's parts are nested too deeply") from None
    if part is None:
        raise ReleaseError(f"{name}: the e-mail has no text or HTML body")
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        raise ReleaseError(f"{name}: the e-mail has no text or HTML body")
    if not payload.strip():
        raise ReleaseError(f"{name}: the e-mail has no text")
    return Mail(
        subject=_header_text(message, "Subject"),
        date=_sent_on(message),
        sender=_sender(message),
        body=decode_release_bytes(payload, name, charset=part.get_content_charset()),
        is_html=part.get_content_subtype() == "html",
    )


def _header_text(message: EmailMessage, header: str) -> str:
    raw = _raw_header(message, header)
    # Raw 8-bit bytes in a header (not MIME-encoded, as RFC 2047 wants) are decoded like a body is.
    value = _unescape(raw) if _SURROGATES.search(raw) else str(message.get(header, ""))
    return normalize_text(" ".join(value.split()))


def _sent_on(message: EmailMessage) -> date | None:
    header = message.get("Date")
    sent = getattr(header, "datetime", None)  # None when the header is missing or not a valid date
    return sent.date() if sent else None


def _sender(message: EmailMessage) -> str:
    try:
        addresses = getattr(message.get("From"), "addresses", ())
    except (HeaderParseError, IndexError):
        # CPython's address parser raises IndexError on some malformed addresses (`From: a@`); the lenient
        # legacy parser below still reads them.
        addresses = ()
    if addresses:
        name = addresses[0].display_name or addresses[0].addr_spec
    else:
        raw = _raw_header(message, "From")
        display_name, address = parseaddr(raw)
        name = display_name or address or raw.strip(" <>")
    return normalize_text(" ".join(_unescape(name).split()))


def _raw_header(message: EmailMessage, header: str) -> str:
    return next((str(value) for key, value in message.raw_items() if key.lower() == header.lower()), "")


def _unescape(value: str) -> str:
    """Surrogate escapes (undecodable header bytes) as the UTF-8 or Windows-1252 text they were."""
    if not _SURROGATES.search(value):
        return value
    raw = value.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")
