"""Parse untrusted notice XML without letting it reach the file system, the network or our memory.

Notices come from the internet. A hostile or broken one must be refused with a one-line reason and
must never expand entities (billion laughs), read local files or URLs (XXE, external DTDs), or grow
without bound. The rules, as in defusedxml: no DOCTYPE at all (eForms and TED XML never carry one),
a size cap before parsing, and lxml with entity resolution, DTD loading and network access off.
"""

from __future__ import annotations

import codecs

from lxml import etree

from tenders.parse.errors import NoticeParseError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # the largest real eForms notices (100+ lots) stay well under 5 MB
_PROLOG_SCAN = 64 * 1024  # DOCTYPE and ENTITY must come before the root element, i.e. early


def _size(count: int) -> str:
    if count >= 1_048_576:
        return f"{count / 1_048_576:.1f} MB"
    return f"{count / 1024:.1f} KB" if count >= 1024 else f"{count} bytes"


def _new_parser() -> etree.XMLParser:
    # A fresh parser per document: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # keeps libxml2's limits on depth and text node size
        remove_comments=True,
        remove_pis=True,
    )


def _prolog_text(data: bytes) -> str:
    """The start of the document as text, whatever its encoding (UTF-16 hides '<!DOCTYPE' from a byte scan)."""
    head = data[:_PROLOG_SCAN]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in head[:4]:
        encoding = "utf-16-be" if head.startswith((codecs.BOM_UTF16_BE, b"\x00<")) else "utf-16-le"
        return head.decode(encoding, errors="ignore")
    return head.decode("latin-1")  # every byte maps to a char; ASCII markup stays recognisable


def _refuse_declarations(prolog: str) -> None:
    if "<!ENTITY" in prolog:
        raise NoticeParseError("XML refused: entity declarations are not allowed")
    doctype_at = prolog.find("<!DOCTYPE")
    if doctype_at >= 0:
        declaration = prolog[doctype_at : doctype_at + 1024].split(">", 1)[0]
        if " SYSTEM " in f"{declaration} " or " PUBLIC " in f"{declaration} ":
            raise NoticeParseError("XML refused: external DTD references are not allowed")
        raise NoticeParseError("XML refused: DOCTYPE declarations are not allowed")


def _refuse_parsed_dtd(root: etree._Element) -> None:
    """Second line of defence for declarations the prolog scan could not see (odd encodings)."""
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise NoticeParseError("XML refused: entity declarations are not allowed")
    if docinfo.system_url or docinfo.public_id:
        raise NoticeParseError("XML refused: external DTD references are not allowed")
    if dtd is not None or docinfo.doctype:
        raise NoticeParseError("XML refused: DOCTYPE declarations are not allowed")


def parse_xml_safely(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> etree._Element:
    """The root element of ``data``, or NoticeParseError with a one-line reason."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not isinstance(data, bytes | bytearray | memoryview):
        raise NoticeParseError(f"XML refused: expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data or data.isspace():
        raise NoticeParseError("XML refused: empty document")
    if len(data) > max_bytes:
        raise NoticeParseError(f"XML refused: document is {_size(len(data))}, over the {_size(max_bytes)} limit")
    _refuse_declarations(_prolog_text(data))
    try:
        root = etree.fromstring(data, parser=_new_parser())
    except etree.XMLSyntaxError as err:
        raise NoticeParseError(f"not well-formed XML: {err.msg or err}") from None
    except ValueError as err:  # e.g. an encoding declaration lxml cannot honour
        raise NoticeParseError(f"not well-formed XML: {err}") from None
    if root is None:
        raise NoticeParseError("not well-formed XML: no root element")
    _refuse_parsed_dtd(root)
    return root
