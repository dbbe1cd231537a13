"""``anbudsvakt search TEXT [filters]``: a rich table of hits and the facets of the whole result set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from app.search import search_notices
from tenders import formatting

if TYPE_CHECKING:
    from rich.console import Console

    from tenders.index.base import SearchResult

SORTS = ("relevance", "deadline", "published")


def cpv_prefix(value: str) -> str:
    """'45000000' and '45000000-7' mean division 45: CPV trailing zeros only mark the level (all zeros stay)."""
    digits = value.split("-")[0].strip()
    return digits.rstrip("0") or digits


# The same words as the web pages (api/labels.py), for a person reading the terminal.
KIND = {"planning": "Förhandsinformation", "competition": "Anbud kan lämnas", "result": "Tilldelat kontrakt",
        "change": "Rättelse", "cont-modif": "Ändrat kontrakt", "consultation": "Marknadsdialog",
        "dir-awa-pre": "Avsikt att direkttilldela"}
FACET_TITLES = {"cpv_division": "Bransch (CPV)", "municipality": "Kommun", "buyer": "Beställare",
                "form_type": "Typ av annons"}


def _print_hits(result: SearchResult, console: Console) -> None:
    from rich.table import Table

    table = Table(title=f"{result.total} träffar")
    for column in ("upphandling", "rubrik", "köpare", "typ", "publicerad", "sista anbudsdag", "värde"):
        table.add_column(column, no_wrap=column != "rubrik", overflow="ellipsis", max_width=60)
    for hit in result.hits:
        doc = hit.document
        table.add_row(
            doc.tender_id, doc.title[:70], ", ".join(doc.buyer_names)[:40], KIND.get(doc.form_type or "", ""),
            doc.published.isoformat() if doc.published else "", formatting.short_moment(doc.deadline),
            formatting.money(doc.value_sek),
        )
    console.print(table)


def _print_facets(result: SearchResult, console: Console) -> None:
    from rich.table import Table

    from tenders.codelists import cpv_divisions, dalarna_buyers, dalarna_municipalities

    labels = {
        "cpv_division": cpv_divisions(),
        "municipality": {code: m.name for code, m in dalarna_municipalities().items()},
        "buyer": dalarna_buyers(),
    }
    for name, counts in result.facets.items():
        if not counts:
            continue
        table = Table(title=FACET_TITLES.get(name, name), show_header=False)
        for facet in counts:
            label = labels.get(name, {}).get(facet.value, "") or KIND.get(facet.value, "")
            table.add_row(facet.value, label[:50], str(facet.count))
        console.print(table)


def search(
    text: Annotated[str, typer.Argument(help="Ord att söka efter (tomt: bläddra med filter)")] = "",
    cpv: Annotated[list[str] | None, typer.Option("--cpv", help="CPV-kod eller början, t.ex. 45")] = None,
    municipality: Annotated[list[str] | None, typer.Option("--municipality", help="SCB kommunkod")] = None,
    nuts: Annotated[list[str] | None, typer.Option("--nuts", help="NUTS-kod eller början, t.ex. SE312")] = None,
    buyer: Annotated[list[str] | None, typer.Option("--buyer", help="Beställarens org.nr")] = None,
    min_value: Annotated[float | None, typer.Option("--min-value", help="Lägsta värde i kronor")] = None,
    max_value: Annotated[float | None, typer.Option("--max-value", help="Högsta värde i kronor")] = None,
    form_type: Annotated[list[str] | None, typer.Option("--form-type", help="competition, result, planning …")] = None,
    sme: Annotated[bool, typer.Option("--sme", help="Bara annonser som passar små och medelstora företag")] = False,
    open_now: Annotated[bool, typer.Option("--open", help="Bara upphandlingar där anbud kan lämnas nu")] = False,
    sort: Annotated[str, typer.Option(help="relevance, deadline eller published")] = "relevance",
    page: Annotated[int, typer.Option(min=1, help="Sida")] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut resultatet som JSON")] = False,
) -> None:
    """Sök i indexet med fritext, filter och fasetter."""
    from rich.console import Console

    from tenders.index.base import SearchQuery, SortOrder

    if sort not in SORTS:
        raise typer.BadParameter(f"sorteringen måste vara en av {', '.join(SORTS)}", param_hint="--sort")
    query = SearchQuery(
        text=text, cpv_prefixes=[cpv_prefix(c) for c in cpv or []], municipalities=municipality or [],
        nuts=nuts or [], buyers=buyer or [], value_min=min_value, value_max=max_value,
        form_types=form_type or [], sme_suitable=True if sme else None, open_now=open_now,
        sort=SortOrder(sort), page=page,
    )
    result = search_notices(query)
    if as_json:
        typer.echo(result.model_dump_json(indent=2))
        return
    console = Console()
    _print_hits(result, console)
    _print_facets(result, console)
