"""`central.web.parse_upload` reads back whatever a browser-style multipart encoder
(urllib3's, which requests uses) wrote: text fields, file names in any script, and file
bytes exactly, whatever they hold."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from urllib3 import encode_multipart_formdata

from central.errors import Invalid
from central.web import MAX_FIELD, MAX_PARTS, fields_of, parse_upload

names = st.text(st.characters(codec="utf-8", exclude_characters='"\\\r\n\x00'), min_size=1,
                max_size=20).filter(lambda n: n != "file")  # fmt: skip
# File names as people give them (the parser trims the spaces around a name, as browsers do).
filenames = st.text(st.characters(categories=("L", "N"), include_characters="._- "),
                    min_size=1, max_size=30).map(str.strip).filter(bool)  # fmt: skip


@given(
    fields=st.dictionaries(names, st.text(max_size=5000), max_size=4),
    filename=filenames,
    content=st.binary(max_size=3000),
)
def test_fields_and_files_come_back_as_sent(
    fields: dict[str, str], filename: str, content: bytes
) -> None:
    body, content_type = encode_multipart_formdata(
        [*fields.items(), ("file", (filename, content, "text/csv"))]
    )
    upload = parse_upload(content_type, body)
    assert upload.fields == {k: v[:MAX_FIELD] for k, v in fields.items()}
    assert upload.files == {"file": (filename, content)}


def test_a_catalog_in_chinese_with_crlf_lines() -> None:
    csv = "gtin,name_zh_CN\r\n06935412001014,农夫山泉\r\n".encode()
    body, content_type = encode_multipart_formdata(
        [("csrf", "t0ken"), ("file", ("商品目录.csv", csv, "text/csv"))]
    )
    upload = parse_upload(content_type, body)
    assert upload.fields == {"csrf": "t0ken"}
    assert upload.files == {"file": ("商品目录.csv", csv)}


def test_a_body_that_is_not_multipart_is_refused() -> None:
    with pytest.raises(Invalid):
        parse_upload("application/x-www-form-urlencoded", b"csrf=x")


def test_a_form_of_too_many_parts_is_refused_before_it_is_parsed() -> None:
    # 200,000 empty parts held the MIME parser (and with it the event loop) for 38 s.
    fields = [(f"f{n}", "") for n in range(MAX_PARTS + 1)]
    body, content_type = encode_multipart_formdata(fields)
    with pytest.raises(Invalid, match=f"at most {MAX_PARTS} parts"):
        parse_upload(content_type, body)
    body, content_type = encode_multipart_formdata(fields[:MAX_PARTS])
    assert len(parse_upload(content_type, body).fields) == MAX_PARTS


def test_a_part_of_parts_is_refused_before_it_is_parsed() -> None:
    # One outer part holding a million inner ones passed the count and took 100 s.
    inner = b"".join(b"--in\r\n\r\nx\r\n" for _ in range(100)) + b"--in--\r\n"
    for header in (b"Content-Type: multipart/mixed; boundary=in",
                   b"content-type :\r\n\tMultipart/mixed; boundary=in",
                   b"Content-Type: message/rfc822"):  # fmt: skip
        body = (b"--out\r\nContent-Disposition: form-data; name=\"f\"\r\n" + header
                + b"\r\n\r\n" + inner + b"\r\n--out--\r\n")  # fmt: skip
        with pytest.raises(Invalid, match="not more parts"):
            parse_upload("multipart/form-data; boundary=out", body)


def test_a_url_encoded_form_has_at_most_so_many_fields() -> None:
    many = "&".join(f"f{n}=x" for n in range(MAX_PARTS + 1)).encode()
    with pytest.raises(Invalid, match=f"at most {MAX_PARTS} fields"):
        fields_of(many)
    assert fields_of(b"a=1&b=%E6%B0%B4&a=2") == {"a": "1", "b": "水"}
