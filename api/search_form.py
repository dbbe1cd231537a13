"""The search page's form: its query string read field by field, with a Swedish message for each field it could not
read and the visitor's own text kept for the form.

Unlike the API (a 422 JSON error), the page keeps the search: a value that cannot be read is left out of it, the
rest is searched, and the page answers 422 with the message beside the field, so a typo in an amount never throws
away the words and filters the visitor chose. Amounts may be written the Swedish way ("1 500 000", "2,5", "500 000
kr"). The page number is no field of the form: one that is not a number starts at the first page, one past the end
shows the last (the route), neither with a message. What was searched is also written back as a plain query string
(1500000, 2030-02-01, without what was left out): the route sends the browser there when the query was readable but
not plain, so the address, the page links, the CSV and Excel links and a saved search all read it as the API does.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from pydantic import ValidationError

from api.schemas.tenders import MAX_PAGE, MAX_QUERY_CHARS, MAX_VALUE_SEK, TenderSearchParams
from tenders.formatting import number

FORM_FIELDS = ("q", "value_min", "value_max", "deadline_after")  # the fields a visitor types in (ids in the form)
PLAIN_WRITTEN = {*FORM_FIELDS, "page"}  # read leniently, so written back the way the API reads them
LIST_PARAMS = {name for name, f in TenderSearchParams.model_fields.items() if f.annotation == list[str]}
QUERY_TOO_LONG = ("Sökningen är för lång ({length} tecken). Vi sökte på de första {limit} tecknen – korta gärna "
                  "ner den till de viktigaste orden.")
AMOUNT_UNREADABLE = "Skriv beloppet ”{bound}” i kronor med siffror, till exempel 500 000."
AMOUNT_OUT_OF_RANGE = "Beloppet ”{bound}” måste vara mellan 0 och {limit} kronor."
BOUNDS = {"value_min": "från", "value_max": "till"}  # the labels of the two amount fields
AMOUNTS_CROSSED = "Beloppet ”till” är mindre än beloppet ”från”. Ändra något av dem."
DATE_UNREADABLE = "”{typed}” är inget datum vi kan läsa. Skriv det som år-månad-dag, till exempel {example}."
# 2026-12-01, also 2026-12-1, 2026/12/01, 2026.12.01 and 20261201: what people type for a date
DATE = re.compile(r"(\d{4})[-/. ]?(\d{1,2})[-/. ]?(\d{1,2})")
OTHER_ERROR = "Några av sökvalen i adressen kunde inte läsas och har tagits bort."
SPACES = re.compile(r"[\s\u00a0\u202f]+")  # "1 500 000", also with the no-break spaces Swedish formats use
KRONOR = re.compile(r"\s*(kr|kronor|sek):?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class CheckedSearch:
    """What is searched, a message per form field that could not be read, and what the visitor typed in each."""

    params: TenderSearchParams
    errors: dict[str, str] = field(default_factory=dict)  # form field → Swedish message
    typed: dict[str, str] = field(default_factory=dict)  # form field → the visitor's text, shown again as typed
    notice: str | None = None  # other parameters (not fields of the form) that were left out
    dropped: frozenset[str] = frozenset()  # their names
    plain_query: str = ""  # what was searched, as a query string the API reads the same way
    rewritten: bool = False  # the plain query differs from the one asked for

    @property
    def status_code(self) -> int:
        return 422 if self.errors or self.notice else 200


def read_amount(text: str, bound: str = "från") -> tuple[float | None, str | None]:
    """(kronor, None) or (None, message): blank is no bound; Swedish spacing, decimal comma and "kr" are fine."""
    cleaned = SPACES.sub("", KRONOR.sub("", text.strip())).replace(",", ".")
    if not cleaned:
        return None, None
    try:
        amount = float(cleaned)
    except ValueError:
        return None, AMOUNT_UNREADABLE.format(bound=bound)
    if not math.isfinite(amount) or not 0 <= amount <= MAX_VALUE_SEK:
        return None, AMOUNT_OUT_OF_RANGE.format(bound=bound, limit=number(MAX_VALUE_SEK))
    return amount, None


def read_date(text: str) -> tuple[date | None, str | None]:
    cleaned = text.strip()
    if not cleaned:
        return None, None
    found = DATE.fullmatch(cleaned)
    try:
        if found:
            return date(*(int(part) for part in found.groups())), None
    except ValueError:
        pass
    return None, DATE_UNREADABLE.format(typed=cleaned[:40], example=date_example())


def date_example() -> str:
    """Today, as the date field wants it (the hint beside the field and the message)."""
    return date.today().isoformat()


def read_page(text: str) -> int:
    try:
        return min(max(int(text.strip()), 1), MAX_PAGE)
    except ValueError:
        return 1


def _form_fields(raw: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The form fields as the params take them; each one that cannot be read gets its message and is left out."""
    values: dict[str, Any] = {}
    query = str(raw.get("q", ""))
    if len(query) > MAX_QUERY_CHARS:
        errors["q"] = QUERY_TOO_LONG.format(length=number(len(query)), limit=MAX_QUERY_CHARS)
    values["q"] = query[:MAX_QUERY_CHARS]
    for name, bound in BOUNDS.items():
        values[name], message = read_amount(str(raw.get(name, "")), bound)
        if message:
            errors[name] = message
    low, high = values["value_min"], values["value_max"]
    if low is not None and high is not None and high < low:
        errors["value_max"], values["value_max"] = AMOUNTS_CROSSED, None
    values["deadline_after"], message = read_date(str(raw.get("deadline_after", "")))
    if message:
        errors["deadline_after"] = message
    return values


def check_search(raw: dict[str, Any]) -> CheckedSearch:
    """The page's search from its query parameters (lists for the list filters, else the last value)."""
    errors: dict[str, str] = {}
    typed = {name: str(raw.get(name, "")) for name in FORM_FIELDS}
    rest = {k: v for k, v in raw.items() if k not in FORM_FIELDS}
    if "page" in rest:
        rest["page"] = read_page(str(rest["page"]))
    values = {**rest, **_form_fields(raw, errors)}
    try:
        return CheckedSearch(TenderSearchParams.model_validate(values), errors, typed)
    except ValidationError as error:
        invalid = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
    kept = {k: v for k, v in values.items() if k not in invalid}
    return CheckedSearch(TenderSearchParams.model_validate(kept), errors, typed, OTHER_ERROR, frozenset(invalid))


def _plain(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return value.isoformat() if isinstance(value, date) else str(value)


def plain_items(items: Sequence[tuple[str, str]], checked: CheckedSearch) -> list[tuple[str, str]]:
    """The query's parameters as searched: left-out ones dropped, leniently read ones written plainly, in order."""
    plain = []
    for key, value in items:
        if key in checked.dropped or (key in checked.errors and key != "q"):  # a too-long text: its first 500
            continue
        plain.append((key, _plain(getattr(checked.params, key)) if key in PLAIN_WRITTEN and value.strip() else value))
    return plain


def page_search_params(request: Request) -> CheckedSearch:
    query = request.query_params
    checked = check_search({k: query.getlist(k) if k in LIST_PARAMS else query[k] for k in query})
    items = query.multi_items()
    plain = plain_items(items, checked)
    return replace(checked, plain_query=urlencode(plain), rewritten=plain != items)


PageSearchParams = Annotated[CheckedSearch, Depends(page_search_params)]
