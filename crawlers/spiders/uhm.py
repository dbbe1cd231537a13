"""Upphandlingsmyndigheten's statistics service: one year of Sweden's advertised procurements in four exports."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import scrapy

from crawlers import rules
from crawlers.spiders.bulk_file import BulkFileSpider, FileCheckError, FileRequest, Table, read_table
from tenders.stats import uhm

if TYPE_CHECKING:
    from scrapy.http import Response

DEFAULT_BASE_URL = "https://www.upphandlingsmyndigheten.se"
EXPORT_PATH = "/api/sv/statisticsservice/bridgeapi/statistics/export/csv"
AREA = "upphandlingsstatistik"
PRODUCT = "annonserade-upphandlingar-i-sverige"


def _variables(dimension: str, *names: str) -> tuple[str, ...]:
    """The service names a variable "<dimension>.<variable>"; the export's column is the variable."""
    return tuple(f"{dimension}.{name}" for name in names)


BUYER = _variables(
    "Köpare", "Namn för köpare", "Organisationsnummer för köpare", "Sektor för köpare", "Delsektor för köpare",
    "Juridisk form för köpare", "SNI-Avdelning för köpare",
)
KIND = _variables("Upphandlingsslag", "Upphandlingsslag")
CPV = _variables(
    "Huvudsaklig CPV-kod", "CPV-Huvudgrupp", "CPV-Grupp", "CPV-Undergrupp", "CPV-Kategori", "CPV-Underkategori",
    "Huvudsaklig CPV-kod",
)
METHOD = _variables(
    "Förfarande, metoder och krav", "Rättslig grund", "Direktivstyrd", "Förfarande", "Typ av avtal",
    "Dynamiskt inköpssystem", "Elektronisk auktion", "Anbudsområden", "Samordnad upphandling",
    "Miljömässigt hållbar upphandling", "Socialt hållbar upphandling", "Innovationsupphandling",
    "Reserverad upphandling", "Reserverat genomförande", "Annonsdatabas", "Överprövad",
)
PROCUREMENT = _variables("Information per upphandling", "Upphandlings-ID", "Upphandlingens titel", "Publiceringsdatum")
LOT = _variables("Information per anbudsområde", "Anbudsområdes-ID")
SUPPLIER = _variables(
    "Leverantör", "Namn för leverantör", "Sektor för leverantör", "Företagsstorlek för leverantör",
    "Juridisk form för leverantör", "SNI-Avdelning för leverantör", "SNI-Huvudgrupp för leverantör",
    "SNI-Grupp för leverantör", "SNI-Undergrupp för leverantör", "SNI-Detaljgrupp för leverantör",
)
# The service spells this one dimension "Upphandingsslag" in its "Antal upphandlingar" unit (sic).
KIND_IN_PROCUREMENTS = _variables("Upphandingsslag", "Upphandlingsslag")


@dataclass(frozen=True)
class StatisticsExport:
    name: str  # the file tenders.stats.uhm reads
    unit: str  # the service's unit; its distributed unit is "Upphandlingar, Bas.<unit>"
    variables: tuple[str, ...]

    @property
    def measure_column(self) -> str:
        return f"{self.unit}, Summa"

    @property
    def columns(self) -> tuple[str, ...]:
        return (uhm.YEAR, *(v.split(".", 1)[1] for v in self.variables), self.measure_column)

    def query(self, year: int, *, with_variables: bool = True) -> list[tuple[str, str | int]]:
        # The parameters okfse/oppna-upphandlingsdata's client sends (which produced datasets/uhm-2021);
        # without variables the service sums the measure over the whole year: the control total.
        query: list[tuple[str, str | int]] = [
            ("area", AREA), ("product", PRODUCT), ("unit", self.unit),
            ("distributedUnit", f"Upphandlingar, Bas.{self.unit}"), ("measurement", "SUM"), ("year", year),
            ("timefragment", "Tidsperiod.År"), ("resultFormat", "table"), ("chartType", "column"),
            ("chartStacked", "false"), ("fetch", 20),
        ]
        if with_variables:
            query += [("param", variable) for variable in self.variables] + [("orderBy", self.variables[0])]
        return query


EXPORTS = (
    StatisticsExport(uhm.PROCUREMENTS, "Antal upphandlingar", (*BUYER, *KIND_IN_PROCUREMENTS, *CPV, *METHOD,
                                                               *PROCUREMENT)),
    StatisticsExport(uhm.TENDERS_PER_LOT, "Antal anbud", (*BUYER, *KIND, *CPV, *METHOD, *PROCUREMENT, *LOT)),
    StatisticsExport(uhm.CONTRACTED_VALUE, "Kontrakterat värde", (*BUYER, *KIND, *CPV, *METHOD, *PROCUREMENT)),
    StatisticsExport(uhm.CONTRACTED_SUPPLIERS, "Antal kontrakterade anbud*",
                     (*BUYER, *KIND, *CPV, *METHOD, *PROCUREMENT, *LOT, *SUPPLIER)),
)


class UhmStatisticsSpider(BulkFileSpider):
    """The four exports (procurements, tenders per lot, contracted value, contracted suppliers) of one year
    from Upphandlingsmyndigheten's statistics service, into ``data/uhm/<year>/``, and every crawled year
    merged into ``data/uhm/`` (where the staff dashboard looks) for tenders.stats.

    Fixtures NOT recorded from the live site (the service cannot be reached from where they were written):
    tests/fixtures/uhm/ holds responses rebuilt from the 2021 exports in datasets/uhm-2021, written back
    into the service's raw CSV form (its SOURCES.md and build_recorded.py say how). The control-total
    request (the same query without variables, answered with the year's sum of the measure) is how the
    tests' server answers; check it against the first live crawl: ``anbudsvakt crawl uhm --year 2025
    --save-fixtures DIR``, and turn it off with ``-s UHM_CONTROL_TOTALS=false`` if the service differs.
    Settings: ``UHM_YEAR`` (default: last year), ``UHM_BASE_URL`` (the tests' local server).
    """

    name = "uhm"
    custom_settings = {  # noqa: RUF012 - Scrapy's own attribute, read once per crawl
        **BulkFileSpider.custom_settings,
        # The service builds each export on request: one at a time spares it, and a run is four files.
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        # A year of Sweden is tens of thousands of rows: the supplier export alone is over 20 MB.
        "DOWNLOAD_MAXSIZE": 300 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 100 * 1024 * 1024,
        # Building a whole-year export takes the service minutes, not the seconds a notice takes.
        "DOWNLOAD_TIMEOUT": 900,
        # Every variable is a query parameter: the supplier export's address is about 3,000 characters,
        # beyond Scrapy's 2,083 (which would drop the request without a word).
        "URLLENGTH_LIMIT": 16_384,
    }

    # read by NoticeSpider
    source = "uhm"
    source_label = "Upphandlingsmyndighetens statistik"
    fixtures_recorded_live = False
    # Open data (CC0) from a published statistics API.
    terms_url = "https://www.upphandlingsmyndigheten.se/statistik/"
    automated_access = rules.ALLOWED

    # read by BulkFileSpider
    field_pattern = r";(?! )"  # ";" between fields; "; " separates list items inside a cell (unquoted)
    file_suffix = ".csv"
    merge_periods = True  # data/uhm/<file>.csv holds every crawled year: the dashboard's trends read it

    @property
    def year(self) -> int:
        return int(self.settings.get("UHM_YEAR") or datetime.now(UTC).year - 1)

    def file_requests(self) -> list[FileRequest]:
        return [FileRequest(export.name, self._url(export.query(self.year)), export.columns) for export in EXPORTS]

    def publish_dir(self) -> Path:
        return Path("uhm") / str(self.year)

    def file_checked(self, response: Response, spec: FileRequest, table: Table) -> Iterator[Any]:
        export = next(e for e in EXPORTS if e.name == spec.name)
        try:
            total = self._measure_total(table, export)
        except FileCheckError as err:
            self.refuse_file(spec, str(err))
            return
        if not self.settings.getbool("UHM_CONTROL_TOTALS", True):
            yield self.accept_file(response.body, response.url, spec, len(table.rows))
            return
        yield scrapy.Request(
            self._url(export.query(self.year, with_variables=False)),
            callback=self.parse_control_total,
            errback=self.file_failed,
            cb_kwargs={"spec": spec, "export": export, "rows": len(table.rows), "total": total,
                       "raw": response.body, "url": response.url},
            dont_filter=True,
        )

    def parse_control_total(self, response: Response, spec: FileRequest, export: StatisticsExport, rows: int,
                            total: float, raw: bytes, url: str) -> Iterator[Any]:
        try:
            control = read_table(response.body, (uhm.YEAR, export.measure_column), self.field_pattern)
            expected = self._measure_total(control, export)
        except FileCheckError as err:
            self.refuse_file(spec, f"kontrollsumman kan inte läsas: {err}")
            return
        if not math.isclose(total, expected, rel_tol=1e-9, abs_tol=0.5):
            self.refuse_file(spec, f"raderna summerar {export.measure_column} till {total:g}, tjänsten anger "
                                   f"{expected:g}: ofullständig export", transient=True)
            return
        yield self.accept_file(raw, url, spec, rows)

    def _measure_total(self, table: Table, export: StatisticsExport) -> float:
        """The sum of the measure column; every row must be of the year asked for and carry a number."""
        wrong_year = [value for value in table.column(uhm.YEAR) if value.split(".", 1)[0] != str(self.year)]
        if wrong_year:
            raise FileCheckError(f"{len(wrong_year)} rader gäller inte år {self.year} (t.ex. {wrong_year[0]!r})")
        total = 0.0
        for number, text in enumerate(table.column(export.measure_column), start=2):
            try:
                total += uhm.parse_number("" if text == uhm.MISSING_VALUE else text) or 0.0
            except ValueError:
                raise FileCheckError(f"rad {number}: {export.measure_column!r} är inget tal: {text!r}") from None
        return total

    def _url(self, query: list[tuple[str, str | int]]) -> str:
        base = (self.settings.get("UHM_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")
        return f"{base}{EXPORT_PATH}?{urlencode(query)}"
