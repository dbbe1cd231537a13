"""Declarative sources: a YAML file, validated by ``schema.json``, read into a :class:`SourceDefinition`.

UDD staff add a municipality's own "pågående upphandlingar" page by writing such a file (see
``definitions/``) and trying it with ``anbudsvakt source try FILE [URL|HTML-FILE]``. Every problem with a
definition is one :class:`DefinitionError` line naming the file and the place in it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from cssselect import SelectorError
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from lxml import etree
from parsel.csstranslator import HTMLTranslator

from crawlers.sources.layout import FIELDS, BuyerInfo, DetailLayout, ListLayout, Selector, SourceLayout

DEFINITIONS_DIR = Path(__file__).parent / "definitions"


class DefinitionError(ValueError):
    """A definition that cannot be used; str() is one line: where, and what is wrong."""


@dataclass(frozen=True)
class SourceDefinition:
    name: str
    label: str
    start_urls: tuple[str, ...]
    layout: SourceLayout
    buyer: BuyerInfo | None = None
    max_pages: int = 20
    terms_url: str = ""  # the site's terms of use
    automated_access: str = "oklar"  # tillåten | förbjuden | oklar (crawlers/rules.py)
    enabled: bool = True
    path: Path | None = None


@cache
def schema() -> dict[str, Any]:
    return json.loads(resources.files("crawlers.sources").joinpath("schema.json").read_text(encoding="utf-8"))


def find_definition(name_or_path: str) -> Path:
    """A path as given, else ``definitions/<name>.yaml``."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    bundled = DEFINITIONS_DIR / f"{name_or_path}.yaml"
    if bundled.is_file():
        return bundled
    raise DefinitionError(f"{name_or_path}: ingen sådan fil och ingen källdefinition med det namnet")


def load_definition(name_or_path: str | Path) -> SourceDefinition:
    path = find_definition(str(name_or_path))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise DefinitionError(f"{path}: kan inte läsas: {err}") from err
    except yaml.YAMLError as err:
        raise DefinitionError(f"{path}: inte giltig YAML: {' '.join(str(err).split())}") from err
    return definition_from_dict(data, path)


def definition_from_dict(data: Any, path: Path | None = None) -> SourceDefinition:
    where = str(path) if path else "källdefinition"
    validate(data, where)
    listing = data["list"]
    list_layout = ListLayout(
        rows=_selector(listing["rows"], where, "list.rows"),
        fields=_fields(listing["fields"], where, "list.fields"),
        empty_text=listing.get("empty_text"),
        next_page=_selector(listing["next_page"], where, "list.next_page") if "next_page" in listing else None,
    )
    detail = data.get("detail")
    detail_layout = DetailLayout(_fields(detail["fields"], where, "detail.fields")) if detail else None
    buyer = data.get("buyer")
    return SourceDefinition(
        name=data["name"],
        label=data["label"],
        start_urls=tuple(data["start_urls"]),
        layout=SourceLayout(list_layout, detail_layout, tuple(data.get("date_formats", ()))),
        buyer=BuyerInfo(buyer["name"], buyer.get("orgnr"), buyer.get("nuts")) if buyer else None,
        max_pages=data.get("max_pages", 20),
        path=path,
        terms_url=data["terms_url"],
        automated_access=data["automated_access"],
        enabled=data.get("enabled", True),
    )


def validate(data: Any, where: str) -> None:
    error = best_match(Draft202012Validator(schema()).iter_errors(data))
    if error is not None:
        place = ".".join(str(part) for part in error.absolute_path) or "(hela filen)"
        raise DefinitionError(f"{where}: {place}: {_schema_message(error)}")


def _schema_message(error: Any) -> str:
    if error.validator == "oneOf" and isinstance(error.instance, dict):
        return "ange exakt en av css, xpath eller label"
    if "propertyNames" in error.absolute_schema_path:
        return f"okänt fält {error.instance!r} (kända: {', '.join(FIELDS)})"
    return " ".join(str(error.message).split())


def _fields(spec: dict[str, Any], where: str, place: str) -> dict[str, Selector]:
    return {name: _selector(value, where, f"{place}.{name}") for name, value in spec.items()}


def _selector(spec: dict[str, Any], where: str, place: str) -> Selector:
    selector = Selector(**spec)
    _check_compiles(selector, where, place)
    return selector


def _check_compiles(selector: Selector, where: str, place: str) -> None:
    """Selectors and patterns that cannot compile are refused now, not on the first crawl."""
    try:
        if selector.css is not None:
            HTMLTranslator().css_to_xpath(selector.css)
        if selector.xpath is not None:
            etree.XPath(selector.xpath)
        if selector.regex is not None:
            re.compile(selector.regex)
    except (SelectorError, etree.XPathSyntaxError, re.error) as err:
        raise DefinitionError(f"{where}: {place}: ogiltig selektor: {' '.join(str(err).split())}") from err
