"""Sweden's figures from Upphandlingsmyndigheten's exports (UHM), computed once per process.

A report over a national export takes about two seconds, so each (directory, year, buyers) report is kept in
a small per-process cache, filled on first use (never at import) and keyed by the files' sizes and times so a
replaced export is read afresh. The same exports also hold Dalarna's own rows when a complete export is used
(the 2021 export in ``datasets/uhm-2021`` leaves Dalarna out on purpose): those rows are found by buyer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tenders.settings import Settings
from tenders.stats.figures import Figures, from_uhm
from tenders.stats.municipality import buyer_municipality
from tenders.stats.participation import ParticipationFigures, ParticipationReport, participation_report
from tenders.stats.uhm import EXPORT_NAMES, UhmExportError, find_export

REPO_UHM_DIR = Path(__file__).resolve().parents[2] / "datasets" / "uhm-2021"


def find_uhm_dir(settings: Settings) -> Path | None:
    """Newer exports dropped into ``DATA_DIR/uhm`` win over the 2021 export shipped in the repository."""
    for candidate in (settings.data_dir / "uhm", Path("datasets/uhm-2021"), REPO_UHM_DIR):
        if candidate.is_dir() and any(candidate.glob("procurements.csv*")):
            return candidate
    return None


def _stamp(uhm_dir: Path) -> tuple[tuple[str, int, int], ...]:
    paths = [find_export(uhm_dir, name) for name in EXPORT_NAMES]
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in paths)


@lru_cache(maxsize=24)
def _cached_report(
    uhm_dir: str, _stamp: tuple[tuple[str, int, int], ...], year: str | None, buyers: frozenset[str] | None
) -> ParticipationReport:
    return participation_report(Path(uhm_dir), year=year, buyer_orgnrs=buyers)


def uhm_report(uhm_dir: Path, year: str | None = None, buyers: frozenset[str] | None = None) -> ParticipationReport:
    return _cached_report(str(uhm_dir.resolve()), _stamp(uhm_dir), year, buyers)


def clear_cache() -> None:
    _cached_report.cache_clear()


def _figures(figures: ParticipationFigures) -> Figures | None:
    return from_uhm(figures) if figures.procurements or figures.lots else None


@dataclass(frozen=True)
class SwedenData:
    """The UHM side of the dashboard; ``error`` says in one line why there is none."""

    uhm_dir: Path | None
    error: str = ""

    @classmethod
    def open(cls, settings: Settings) -> SwedenData:
        uhm_dir = find_uhm_dir(settings)
        if uhm_dir is None:
            return cls(None, "Ingen UHM-export hittades (lägg exporterna i datakatalogens mapp uhm).")
        try:
            uhm_report(uhm_dir)
        except UhmExportError as error:
            return cls(None, str(error))
        return cls(uhm_dir)

    def figures(self, year: str | None, cpv: str | None, buyers: frozenset[str] | None = None) -> Figures | None:
        """Figures for a year (None: all), CPV division (None: all) and buyers (None: everyone)."""
        if self.uhm_dir is None or buyers == frozenset():
            return None
        if year is not None and self.years() == [year]:
            year = None  # a one-year export: the year's report is the whole report, already cached
        report = uhm_report(self.uhm_dir, year, buyers)
        if not cpv:
            return _figures(report.overall)
        row = next((r for r in report.by_cpv_division if r.division == cpv), None)
        return _figures(row) if row else None

    def years(self) -> list[str]:
        return [] if self.uhm_dir is None else [row.year for row in uhm_report(self.uhm_dir).by_year if row.year]

    def cpv_divisions(self) -> list[str]:
        if self.uhm_dir is None:
            return []
        return [row.division for row in uhm_report(self.uhm_dir).by_cpv_division if not row.missing]

    def dalarna_buyers(self, municipality: str | None = None) -> frozenset[str]:
        """Org.nr of the export's buyers in Dalarna (in one municipality, when given)."""
        if self.uhm_dir is None:
            return frozenset()
        found = set()
        for row in uhm_report(self.uhm_dir).by_buyer:
            place = buyer_municipality(row.orgnr, row.name)
            if place is not None and municipality in (None, place):
                found.add(row.orgnr)
        return frozenset(found)
