"""Notice XML → Tender: eForms (SDK 1.x) and TED_EXPORT R2.0.9, refusing hostile or broken XML.

``parse_notice`` is the only entry point the rest of the product uses. Whatever goes wrong inside a
notice, the caller gets a NoticeParseError with a one-line reason, so a crawl logs it and carries on.
"""

from __future__ import annotations

from datetime import datetime

from lxml import etree
from pydantic import ValidationError

from tenders.model import Tender
from tenders.parse.eforms import EFORMS_ROOTS, parse_eforms
from tenders.parse.errors import NoticeParseError
from tenders.parse.r209 import parse_r209
from tenders.parse.safe_xml import DEFAULT_MAX_BYTES, parse_xml_safely

__all__ = ["DEFAULT_MAX_BYTES", "NoticeParseError", "notice_format", "parse_notice"]


def notice_format(root: etree._Element) -> str:
    """'eforms' or 'ted-r209' by the root element, else NoticeParseError."""
    qname = etree.QName(root)
    namespace = (qname.namespace or "").lower()
    if qname.localname in EFORMS_ROOTS and (not namespace or "ubl:schema" in namespace):
        return "eforms"
    if qname.localname == "TED_EXPORT":
        return "ted-r209"
    return_root = qname.localname if not qname.namespace else f"{qname.localname} in {qname.namespace}"
    raise NoticeParseError(f"not an eForms or TED notice: root <{return_root}>")


def _describe(err: Exception) -> str:
    if isinstance(err, ValidationError):
        first = err.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"invalid value for {where}: {first['msg']}"
    return f"{type(err).__name__}: {err}"


def parse_notice(
    data: bytes,
    *,
    source: str = "ted",
    source_url: str | None = None,
    retrieved_at: datetime | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Tender:
    """The normalised Tender of one notice document (eForms or TED_EXPORT R2.0.9)."""
    root = parse_xml_safely(data, max_bytes=max_bytes)
    kind = notice_format(root)
    parser = parse_eforms if kind == "eforms" else parse_r209
    try:
        return parser(root, source=source, source_url=source_url, retrieved_at=retrieved_at)
    except NoticeParseError:
        raise
    except (ValueError, TypeError, LookupError, AttributeError) as err:
        # A notice shaped in a way this parser does not expect must not stop a crawl.
        raise NoticeParseError(f"could not read {kind} notice: {_describe(err)}") from err
