"""Lookups in TED_EXPORT documents by local name, whatever the schema release's namespace (R2.0.8, R2.0.9)."""

from __future__ import annotations

from functools import cache

from tenders.parse.reader import Element


@cache
def any_namespace(path: str) -> str:
    """'FORM_SECTION/*' → '{*}FORM_SECTION/*': each named step matches in any namespace (NUTS has its own)."""
    steps = []
    for step in path.split("/"):
        plain = step and step[0] not in "*.{@["
        steps.append(f"{{*}}{step}" if plain else step)
    return "/".join(steps)


def find(element: Element | None, path: str) -> Element | None:
    return None if element is None else element.find(any_namespace(path))


def find_all(element: Element | None, path: str) -> list[Element]:
    return [] if element is None else element.findall(any_namespace(path))


def text(element: Element | None, path: str) -> str | None:
    """Text of the first match, its <P> paragraphs joined, stripped; None when empty."""
    found = find(element, path)
    if found is None:
        return None
    value = " ".join(" ".join(part.split()) for part in found.itertext() if part.strip())
    return value or None


def attr(element: Element | None, path: str, name: str) -> str | None:
    found = find(element, path)
    value = found.get(name) if found is not None else None
    return value.strip() if value and value.strip() else None


def attrs(element: Element | None, path: str, name: str) -> list[str]:
    values = (found.get(name) for found in find_all(element, path))
    return list(dict.fromkeys(value.strip() for value in values if value and value.strip()))


def has(element: Element | None, path: str) -> bool:
    return find(element, path) is not None
