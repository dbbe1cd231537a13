"""The participation dashboard's tables: Dalarna's award figures beside Sweden's UHM figures, each with its chart.

Each breakdown applies every filter except its own dimension (the municipality table shows all
municipalities for the chosen year and sector, with the chosen one marked), so a filter narrows the
figures without hiding what it is compared with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tenders import formatting
from tenders.codelists import dalarna_municipalities
from tenders.stats.dalarna import DalarnaProcurement, DashboardFilters, report, select
from tenders.stats.figures import Figures, from_award
from tenders.stats.municipality import REGIONAL, municipality_label
from tenders.stats.sweden import SwedenData
from tenders.stats.tables import MEASURE_COLUMNS, Column, Table, bar_chart, line_chart, measure_row

DALARNA_AWARDS = "Dalarna – tilldelningsannonser"
DALARNA_UHM = "Dalarna – Upphandlingsmyndighetens statistik"
SWEDEN_UHM = "Sverige – Upphandlingsmyndighetens statistik"
SHORT_SERIES = {DALARNA_AWARDS: "Dalarna (annonser)", DALARNA_UHM: "Dalarna (UHM)", SWEDEN_UHM: "Sverige (UHM)"}
LOT_BANDS = (("1", 1, 1), ("2", 2, 2), ("3–5", 3, 5), ("6–10", 6, 10), ("fler än 10", 11, 10**9))
LOT_STATUS_LABELS = {
    "selec-w": "Vinnare utsedd", "clos-nw": "Avslutad utan vinnare", "open-nw": "Ännu ingen vinnare",
    "unknown": "Okänt utfall",
}
UNKNOWN_YEAR = "okänt år"
# Why a series can be empty: said beside the table instead of a row of dashes.
EMPTY_SERIES = {
    "Dalarna (annonser)": "Dalarna (annonser) saknar uppgifter: lagret har inga tilldelningsannonser från Dalarnas "
                          "beställare eller med utförandeort i Dalarnas län (SE312) för urvalet.",
    "Dalarna (UHM)": "Dalarna (UHM) saknar uppgifter: den medföljande UHM-exporten för 2021 innehåller inte Dalarnas "
                     "egna upphandlingar; hämta dem med anbudsvakt crawl uhm --year ÅR.",
}


def _figures(procurements: Sequence[DalarnaProcurement]) -> Figures | None:
    return from_award(report(procurements).overall) if procurements else None


def _shares(table: Table) -> list[tuple[str, list[float | None]]]:
    return [
        ("Andel delområden med ett anbud", [r["single_tender_lot_share"] for r in table.rows]),
        ("SME-andel av anbuden", [r["sme_tender_share"] for r in table.rows]),
        ("SME-andel av vinnarna", [r["sme_winner_share"] for r in table.rows]),
    ]


def comparison_table(procurements: list[DalarnaProcurement], sweden: SwedenData, f: DashboardFilters) -> Table:
    year, cpv = f.year or None, f.cpv or None
    uhm_buyers = sweden.dalarna_buyers(f.municipality or None)
    if f.buyer:
        uhm_buyers = uhm_buyers & {f.buyer}
    rows = [
        measure_row(_figures(select(procurements, f)), series=DALARNA_AWARDS),
        measure_row(sweden.figures(year, cpv, uhm_buyers), series=DALARNA_UHM),
        measure_row(sweden.figures(year, cpv), series=SWEDEN_UHM),
    ]
    empty = [SHORT_SERIES[r["series"]] for r in rows if not r.get("procurements")]
    table = Table(
        "jamforelse", "Dalarna jämfört med Sverige",
        "Deltagande i Dalarna (tilldelningsannonser och UHM) och i Sverige (UHM) för valt urval",
        [Column("series", "Underlag"), *MEASURE_COLUMNS], rows,
        note="Sverige filtreras på år och bransch men inte på kommun eller beställare. UHM-exporten anger inte "
             "hur många anbud som kom från små och medelstora företag, bara vilka som vann."
             + "".join(f" {EMPTY_SERIES[name]}" for name in empty if name in EMPTY_SERIES),
    )
    table.chart = bar_chart("Ett anbud och SME-andel: Dalarna och Sverige",
                                   [SHORT_SERIES[r["series"]] for r in rows], _shares(table))
    return table


def over_time_table(procurements: list[DalarnaProcurement], sweden: SwedenData, f: DashboardFilters) -> Table:
    rows = [
        measure_row(from_award(y), year=y.year or UNKNOWN_YEAR, series=DALARNA_AWARDS)
        for y in report(select(procurements, f.without("year"))).by_year
    ]
    uhm_buyers = sweden.dalarna_buyers(f.municipality or None)
    for year in sweden.years():
        if uhm_buyers:
            rows.append(measure_row(sweden.figures(year, f.cpv or None, uhm_buyers), year=year, series=DALARNA_UHM))
        rows.append(measure_row(sweden.figures(year, f.cpv or None), year=year, series=SWEDEN_UHM))
    rows.sort(key=lambda r: (r["year"], r["series"]))
    table = Table("over-tid", "Över tid", "Deltagande per år, alla år för valt urval",
                  [Column("year", "År"), Column("series", "Underlag"), *MEASURE_COLUMNS], rows,
                  highlight={f.year} if f.year else set())
    years = sorted({r["year"] for r in rows})

    def by_year(series: str, key: str) -> list[float | None]:
        found = {r["year"]: r[key] for r in rows if r["series"] == series}
        return [found.get(year) for year in years]

    table.chart = line_chart("SME-andel av anbud och vinnare per år", years, [
        ("Dalarna: SME-andel av anbuden", by_year(DALARNA_AWARDS, "sme_tender_share")),
        ("Dalarna: SME-andel av vinnarna", by_year(DALARNA_AWARDS, "sme_winner_share")),
        ("Sverige: SME-andel av vinnarna", by_year(SWEDEN_UHM, "sme_winner_share")),
    ])
    return table


def municipality_table(procurements: list[DalarnaProcurement], f: DashboardFilters) -> Table:
    chosen = select(procurements, f.without("municipality"))
    rows = []
    for code in [*dalarna_municipalities(), REGIONAL] if chosen else []:
        here = [p for p in chosen if p.municipality == code]
        # The regional group has no kommunkod: an empty cell, not the filter's internal value.
        rows.append(measure_row(from_award(report(here).overall), municipality=municipality_label(code),
                                code="" if code == REGIONAL else code))
    table = Table("kommuner", "Per kommun", "Deltagande per kommun i Dalarna (beställarens kommun)",
                  [Column("municipality", "Kommun"), Column("code", "Kommunkod"), *MEASURE_COLUMNS], rows,
                  note="Regioner, statliga myndigheter och länsgemensamma bolag redovisas för sig.",
                  highlight={municipality_label(f.municipality)} if f.municipality else set())
    with_data = [r for r in rows if r["procurements"]]
    if with_data:  # the chart leaves out municipalities without procurements; the table lists them all
        shown = Table(table.key, table.title, table.caption, table.columns, with_data)
        table.chart = bar_chart("Ett anbud och SME-andel per kommun med upphandlingar",
                                       [r["municipality"] for r in with_data], _shares(shown), horizontal=True)
    return table


def buyer_table(procurements: list[DalarnaProcurement], f: DashboardFilters) -> Table:
    chosen = select(procurements, f.without("buyer"))
    places = {p.buyer_key: municipality_label(p.municipality) for p in chosen}
    rows = [
        measure_row(from_award(b), buyer=b.name, orgnr=formatting.orgnr(b.orgnr),
                    municipality=places.get(b.orgnr or f"namn:{b.name}"))
        for b in report(chosen).by_buyer
    ]
    chosen_name = next((p.buyer_name for p in chosen if p.buyer_key == f.buyer), "")
    table = Table("bestallare", "Per beställare", "Deltagande per beställare, flest upphandlingar först",
                  [Column("buyer", "Beställare"), Column("orgnr", "Organisationsnummer"),
                   Column("municipality", "Kommun"), *MEASURE_COLUMNS], rows,
                  highlight={chosen_name} if chosen_name else set())
    top = rows[:15]
    table.chart = bar_chart("Anbud per upphandling, de 15 beställarna med flest upphandlingar",
                                   [r["buyer"] for r in top],
                                   [("Anbud per upphandling", [r["avg_tenders_per_procurement"] for r in top])],
                                   percent=False, horizontal=True)
    return table


def cpv_table(procurements: list[DalarnaProcurement], f: DashboardFilters) -> Table:
    rows = [
        measure_row(from_award(d), division=d.division, label=d.label)
        for d in report(select(procurements, f.without("cpv"))).by_cpv_division
    ]
    table = Table("cpv", "Per bransch (CPV-huvudgrupp)", "Deltagande per CPV-huvudgrupp",
                  [Column("division", "CPV-huvudgrupp"), Column("label", "Bransch"), *MEASURE_COLUMNS], rows,
                  highlight={f.cpv} if f.cpv else set())
    table.chart = bar_chart("Ett anbud och SME-andel per bransch",
                                   [f"{r['division']} {r['label']}" for r in rows], _shares(table),
                                   horizontal=True)
    return table


def lots_tables(procurements: list[DalarnaProcurement], f: DashboardFilters) -> list[Table]:
    chosen = select(procurements, f)
    bands: list[dict[str, Any]] = []
    for label, low, high in LOT_BANDS:
        count = sum(1 for p in chosen if low <= p.lots <= high)
        bands.append({"band": label, "procurements": count, "share": count / len(chosen) if chosen else None})
    sizes = Table("delomraden", "Delområden per upphandling", "Upphandlingar efter antal delområden med utfall",
                  [Column("band", "Delområden"), Column("procurements", "Upphandlingar", "int"),
                   Column("share", "Andel av upphandlingarna", "share")], bands if chosen else [])
    if chosen:
        sizes.chart = bar_chart("Upphandlingar efter antal delområden", [b["band"] for b in bands],
                                       [("Upphandlingar", [b["procurements"] for b in bands])], percent=False)
    statuses = report(chosen).overall.lots_by_status if chosen else {}
    total = sum(statuses.values())
    outcome = Table("utfall", "Utfall per delområde", "Delområden efter utfall (eForms BT-142)",
                    [Column("status", "Utfall"), Column("lots", "Delområden", "int"),
                     Column("share", "Andel av delområdena", "share")],
                    [{"status": LOT_STATUS_LABELS.get(k, k), "lots": n, "share": n / total}
                     for k, n in sorted(statuses.items(), key=lambda kv: -kv[1])])
    return [sizes, outcome]
