"""Hostile or broken input is refused with a one-line NoticeParseError, and nothing else happens."""

from __future__ import annotations

from pathlib import Path

import pytest

from tenders.parse import DEFAULT_MAX_BYTES, NoticeParseError, parse_notice, safe_xml

FIXTURES = Path(__file__).parents[1] / "fixtures"
HOSTILE = FIXTURES / "hostile"
VALID = (FIXTURES / "eforms" / "cn_24_minimal.xml").read_bytes()


def _refusal(data: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    with pytest.raises(NoticeParseError) as caught:
        parse_notice(data, max_bytes=max_bytes)
    reason = str(caught.value)
    assert reason and "\n" not in reason
    return reason


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("billion_laughs.xml", "XML refused: entity declarations are not allowed"),
        ("xxe_local_file.xml", "XML refused: entity declarations are not allowed"),
        ("xxe_utf16.xml", "XML refused: entity declarations are not allowed"),
        ("xxe_parameter_entity.xml", "XML refused: entity declarations are not allowed"),
        ("external_dtd.xml", "XML refused: external DTD references are not allowed"),
        ("internal_doctype.xml", "XML refused: DOCTYPE declarations are not allowed"),
        ("not_a_notice.xml", "not an eForms or TED notice: root <rss>"),
        ("not_xml.json", "not well-formed XML: Start tag expected, '<' not found"),
        ("html_error_page.html", "not well-formed XML:"),
    ],
)
def test_hostile_fixture_is_refused(name: str, reason: str) -> None:
    assert _refusal((HOSTILE / name).read_bytes()).startswith(reason)


def test_every_hostile_fixture_is_tested() -> None:
    tested = {p.name for p in HOSTILE.iterdir() if p.suffix != ".md"}
    assert len(tested) == 9


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "XML refused: empty document"),
        (b" \n\t", "XML refused: empty document"),
        (VALID[: len(VALID) // 2], "not well-formed XML:"),
        (b"<a>" * 300 + b"</a>" * 300, "not well-formed XML: Excessive depth in document"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "not well-formed XML: Start tag expected"),
        (b"<html><body>Request blocked</body></html>", "not an eForms or TED notice: root <html>"),
    ],
    ids=["empty", "whitespace", "truncated", "too-deep", "pdf", "html"],
)
def test_broken_input_is_refused(data: bytes, reason: str) -> None:
    assert _refusal(data).startswith(reason)


def test_oversized_document_is_refused_before_parsing() -> None:
    oversized = VALID.replace(b"</ContractNotice>", b"<!--" + b"x" * (10 * 1024 * 1024) + b"--></ContractNotice>")

    assert _refusal(oversized) == "XML refused: document is 10.0 MB, over the 10.0 MB limit"
    assert _refusal(VALID, max_bytes=1024) == "XML refused: document is 11.0 KB, over the 1.0 KB limit"
    assert parse_notice(VALID, max_bytes=len(VALID)).notice_id  # exactly at the limit is fine


def test_ubl_notice_without_notice_id_is_refused() -> None:
    data = VALID.replace(b'<cbc:ID schemeName="notice-id">f42be27e-09cf-4f0e-a745-63ec689631e6</cbc:ID>', b"")
    assert _refusal(data) == "eForms notice without a notice identifier (BT-701 cbc:ID)"


def test_parser_itself_neither_reads_files_nor_expands_entities(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Second line of defence: with the prolog scan switched off, lxml still resolves nothing."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711")
    monkeypatch.setattr(safe_xml, "_refuse_declarations", lambda prolog: None)
    documents = [
        f'<!DOCTYPE a [<!ENTITY s SYSTEM "{secret.as_uri()}">]><a>&s;</a>',
        f'<!DOCTYPE a [<!ENTITY % s SYSTEM "{secret.as_uri()}"> %s;]><a/>',
        f'<!DOCTYPE a SYSTEM "{secret.as_uri()}"><a/>',
        (HOSTILE / "billion_laughs.xml").read_text(),
    ]
    for document in documents:
        reason = _refusal(document.encode())
        assert "TOPSECRET" not in reason
        assert reason.startswith(("XML refused:", "not well-formed XML: Maximum entity amplification"))


def test_a_crawl_can_carry_on_after_a_refusal() -> None:
    parsed, refused = [], []
    for data in [(HOSTILE / "billion_laughs.xml").read_bytes(), VALID, b"", VALID[:100]]:
        try:
            parsed.append(parse_notice(data).notice_id)
        except NoticeParseError as err:
            refused.append(str(err))
    assert parsed == ["f42be27e-09cf-4f0e-a745-63ec689631e6"]
    assert len(refused) == 3
