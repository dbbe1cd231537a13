"""Namespace-tolerant element lookup for UBL/eForms documents.

Paths are written with the usual prefixes (``cac:ProcurementProject/cbc:Name``) but resolved against
the namespace URIs the document actually declares, found by what the URI says rather than by its
prefix: real notices use other prefixes (``urn:ContractAwardNotice``) and future SDK versions may bump
a URI, and the parser should still find its way.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TypeAlias

from lxml import etree

from tenders.model import LangText
from tenders.parse.values import language_code

STANDARD_NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}
# What identifies each namespace inside its URI, most specific first.
_URI_MARKERS = (
    ("efac", "eforms-ubl-extension-aggregate-components"),
    ("efbc", "eforms-ubl-extension-basic-components"),
    ("efext", "eforms-ubl-extensions"),
    ("cac", "CommonAggregateComponents"),
    ("cbc", "CommonBasicComponents"),
    ("ext", "CommonExtensionComponents"),
)

Element: TypeAlias = etree._Element


def document_namespaces(root: Element) -> dict[str, str]:
    """Prefix → URI for the standard prefixes, as this document spells the URIs."""
    namespaces = dict(STANDARD_NAMESPACES)
    for uri in {u for u in root.nsmap.values() if u}:
        for prefix, marker in _URI_MARKERS:
            if marker in uri:
                namespaces[prefix] = uri
                break
    return namespaces


@lru_cache(maxsize=2048)
def _compiled(path: str, namespaces: tuple[tuple[str, str], ...]) -> etree.XPath:
    # Compiled once per path: several times faster than ElementPath's find() on deep paths.
    return etree.XPath(path, namespaces=dict(namespaces), smart_strings=False)


def local_name(element: Element) -> str:
    return etree.QName(element).localname


class Reader:
    """Lookups relative to any element, with the document's namespaces and its main language."""

    def __init__(self, root: Element, default_language: str | None = None) -> None:
        self.root = root
        self.ns = document_namespaces(root)
        self._ns_key = tuple(sorted(self.ns.items()))
        self.default_language = default_language

    def first(self, element: Element | None, path: str) -> Element | None:
        found = self.all(element, path)
        return found[0] if found else None

    def all(self, element: Element | None, path: str) -> list[Element]:
        """Elements at ``path`` (an XPath relative to ``element``, with the standard prefixes)."""
        if element is None:
            return []
        return list(_compiled(path, self._ns_key)(element))

    def text(self, element: Element | None, path: str) -> str | None:
        """The stripped text of the first non-empty match, or None."""
        for found in self.all(element, path):
            value = (found.text or "").strip()
            if value:
                return value
        return None

    def texts(self, element: Element | None, path: str) -> list[str]:
        return [value for found in self.all(element, path) if (value := (found.text or "").strip())]

    def attr(self, element: Element | None, path: str, name: str) -> str | None:
        found = self.first(element, path)
        value = found.get(name) if found is not None else None
        return value.strip() if value and value.strip() else None

    def lang_text(self, element: Element | None, path: str) -> LangText:
        """Every language version of a text (``@languageID``), keyed by lower-case 3-letter code."""
        texts: LangText = {}
        for found in self.all(element, path):
            value = (found.text or "").strip()
            lang = language_code(found.get("languageID")) or self.default_language or "und"
            if value and lang not in texts:
                texts[lang] = value
        return texts

    def pick_language(self, texts: LangText) -> str | None:
        """The text in the notice's own language, else the first one given."""
        if not texts:
            return None
        if self.default_language and self.default_language in texts:
            return texts[self.default_language]
        return next(iter(texts.values()))
