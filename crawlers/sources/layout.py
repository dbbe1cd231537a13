"""What a list page and a detail page look like: selectors per field, shared by coded and declarative sources.

A coded spider (e-Avrop, KommersAnnons) declares its layout as class attributes; a declarative source
(YAML, see crawlers/sources/definition.py) is read into the same classes, so both are extracted by the
same code (crawlers/sources/extract.py) and raise the same structure alarm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The fields a source can fill; each becomes part of the Tender (crawlers/sources/tender.py).
FIELDS = (
    "title", "url", "reference", "buyer_name", "buyer_orgnr", "published", "deadline", "category", "cpv",
    "description", "documents_url", "place",
)


@dataclass(frozen=True)
class Selector:
    """Where one value is: a CSS or XPath selector, or the element after a label ("Sista anbudsdag").

    The text of every match is joined with spaces (``::attr(href)`` / ``@href`` select an attribute);
    ``regex`` then keeps its first group (or the whole match) and ``first`` keeps only the first match.
    """

    css: str | None = None
    xpath: str | None = None
    label: str | None = None
    regex: str | None = None
    first: bool = False

    def describe(self) -> str:
        return self.css or self.xpath or f"etikett {self.label!r}"


@dataclass(frozen=True)
class ListLayout:
    rows: Selector  # one match per notice on the list page
    fields: dict[str, Selector]  # read inside each row
    empty_text: str | None = None  # what the page says when there is honestly nothing ("Inga pågående ...")
    next_page: Selector | None = None  # link to the next list page (GET); WebForms spiders post back instead


@dataclass(frozen=True)
class DetailLayout:
    fields: dict[str, Selector]  # read on the notice's own page (the list row's "url"), overriding the row


@dataclass(frozen=True)
class BuyerInfo:
    """The buyer a list belongs to, used when a row names none (a municipality's own page)."""

    name: str
    orgnr: str | None = None
    nuts: str | None = None  # place of performance when the page states none (SE312 = Dalarnas län)


@dataclass(frozen=True)
class SourceLayout:
    list: ListLayout
    detail: DetailLayout | None = None
    date_formats: tuple[str, ...] = field(default_factory=tuple)  # strptime formats tried before the built-ins


def label_xpath(label: str) -> str:
    """XPath of the value next to a label cell/term/caption whose own text is ``label`` (or "label:", "label ...").

    Pages put label and value in th/td, dt/dd, label/span or strong/text pairs; the value is the
    label element's next sibling element, else the text after the label inside the same parent.
    Only the element's own first text counts, so a wrapper whose descendants hold the label is not a label.
    """
    literal = _xpath_literal(label)
    own = "normalize-space(text()[normalize-space()][1])"
    named = f"({own} = {literal} or {own} = concat({literal}, ':') or starts-with({own}, concat({literal}, ' ')))"
    heads = "self::th or self::td or self::dt or self::label or self::strong or self::b or self::span or self::div"
    return (
        f".//*[({heads}) and {named}]/following-sibling::*[1]"
        f" | .//*[({heads}) and {named} and not(following-sibling::*)]/following-sibling::text()[normalize-space()][1]"
    )


def _xpath_literal(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    parts = text.split("'")
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in parts) + ")"
