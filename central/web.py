"""What the service's browser pages share: the page language, form bodies, session
cookies and CSRF checks (the attendant console and the back-office console).

Both keep their sessions server-side: the cookie holds a random token, the database only
its SHA-256 (`central.keys.sha256_hex`), so a copy of the database signs nobody in.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qs

from fastapi import Request, Response

from central.errors import Forbidden, Invalid, PayloadTooLarge

LANGUAGES = ("zh_CN", "ko", "en")


def page_headers(policy: str) -> dict[str, str]:
    """What every HTML page of the service sends: its content security policy, and no
    sniffing, no referrer (a URL may name a store), no caching (pages show live state)."""
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


MAX_FIELD = 4096
"""Longer form values are cut: no field of these pages needs more."""


def language(accept: str | None, chosen: str | None, offered: Sequence[str] = LANGUAGES) -> str:
    """The page's language: the one asked for, else the browser's, else Chinese."""
    if chosen is not None and chosen in offered:
        return chosen
    for part in (accept or "").split(","):
        tag = part.split(";")[0].strip().lower()
        for lang in offered:
            if tag.startswith(lang[:2].lower()):
                return lang
    return offered[0]


MAX_NUMBER_DIGITS = 6
"""No count a page asks for needs more digits; the wire models bound the value itself."""


def whole_number(text: str) -> int | None:
    """A form field's whole number, or None when it is not one: ASCII digits of a sane
    length only, since `str.isdigit()` also takes "²" and other scripts' digits, which
    `int()` refuses or reads, and `int()` of thousands of digits raises."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) <= MAX_NUMBER_DIGITS:
        return int(text)
    return None


async def form_fields(request: Request) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body as single values (the first of each)."""
    return fields_of(await request.body())


def fields_of(body: bytes) -> dict[str, str]:
    """`form_fields` of a body already read (by `read_capped`), of at most `MAX_PARTS`
    fields."""
    text = body.decode("utf-8", "replace")
    try:
        fields = parse_qs(text, keep_blank_values=True, max_num_fields=MAX_PARTS)
    except ValueError:
        raise Invalid(f"a form has at most {MAX_PARTS} fields", reason="bad_form") from None
    return {k: v[0][:MAX_FIELD] for k, v in fields.items()}


MAX_PARTS = 32
_NESTED = re.compile(rb"^content-type[ \t]*:\s*(multipart|message)/", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Upload:
    """A `multipart/form-data` body: its text fields (as `form_fields` gives them) and its
    files by field name (name as the browser sent it, content as bytes)."""

    fields: dict[str, str]
    files: dict[str, tuple[str, bytes]]


async def read_capped(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it is over `limit` bytes (announced or streamed), so
    an oversized upload is never held in memory whole."""
    announced = request.headers.get("content-length", "")
    if announced.isascii() and announced.isdigit() and int(announced) > limit:
        raise PayloadTooLarge(f"the upload may be at most {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"the upload may be at most {limit} bytes")
    return bytes(body)


def parse_upload(content_type: str, body: bytes) -> Upload:
    """A `multipart/form-data` body (RFC 7578), read by the standard library's MIME parser
    (`email`, what Python's documentation names in place of the removed `cgi` module):
    Starlette's own form parser needs `python-multipart`, one more dependency for one form.
    The first value of each field counts, as in `form_fields`."""
    if not content_type.lower().startswith("multipart/form-data"):
        raise Invalid("send the form as multipart/form-data", reason="not_multipart")
    # The MIME parser's time grows with the parts: 200,000 empty ones took it 38 s. No form
    # here has more than a dozen fields; the boundary's count bounds the parts. The
    # boundary is read as the parser reads it (quoted, continued, encoded parameters).
    header = EmailMessage(policy=HTTP)
    header["Content-Type"] = content_type
    boundary = header.get_boundary()
    if not boundary:
        raise Invalid("the form's body has no boundary", reason="not_multipart")
    if body.count(b"--" + boundary.encode("utf-8", "replace")) > MAX_PARTS + 1:
        raise Invalid(f"a form has at most {MAX_PARTS} parts", reason="not_multipart")
    # A part that is itself multipart (or a message) is parsed in turn, its parts past the
    # count above (1.25 million in one part took 100 s) and nested as deep as it likes: no
    # form sends one.
    if _NESTED.search(body):
        raise Invalid("a form's part is a field or a file, not more parts", reason="not_multipart")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise Invalid("the form's body is not multipart/form-data", reason="not_multipart")
    fields: dict[str, str] = {}
    files: dict[str, tuple[str, bytes]] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or name in fields or name in files:
            continue
        content = part.get_payload(decode=True)
        data = content if isinstance(content, bytes) else b""
        filename = part.get_filename()
        if filename is None:
            fields[name] = data.decode("utf-8", "replace")[:MAX_FIELD]
        else:
            files[name] = (filename, data)
    return Upload(fields, files)


def set_session_cookie(
    answer: Response, request: Request, name: str, token: str, *, path: str, max_age_s: int
) -> None:
    """HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it) and
    Secure whenever the page was served over HTTPS (a plain-HTTP loopback demo would
    otherwise never get its cookie back)."""
    answer.set_cookie(
        name,
        token,
        max_age=max_age_s,
        path=path,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )


def check_csrf(expected: str, given: str | None) -> None:
    """The synchronizer token of the session must come back with every change."""
    if not given:
        raise Invalid("missing CSRF token", reason="csrf")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("CSRF token does not match this session", reason="csrf")
