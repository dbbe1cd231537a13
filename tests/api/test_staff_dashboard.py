"""Staff dashboard: only staff get in; tables, CSV and XLSX carry the award and UHM report numbers; filters
narrow them; reach and source health say honestly what is not known yet."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.deps import Principal, get_principal
from api.security.accounts import Role
from tenders.model import Buyer, CompanySize, FormType, LotResult, Money, Tender, Winner
from tenders.settings import Settings
from tenders.stats import award_report, participation_report
from tenders.stats.awards import AwardFigures
from tenders.stats.sweden import clear_cache
from tenders.store import TenderStore
from tenders.store.tables import CrawlRunRow
from tests.api.conftest import TEST_SECRET

UHM_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "uhm" / "service-2021-dalarna-neighbours"
MORA = Buyer(name="Mora kommun", orgnr="2120002213", city="Mora")
FALU_ENERGI = Buyer(name="Falu Energi & Vatten AB", orgnr="5565096731", city="Falun")
REGION = Buyer(name="Region Dalarna", orgnr="2321000180", city="Falun")
LUDVIKAHEM = Buyer(name="Ludvikahem AB", orgnr="5560482019", city="Ludvika")
BORLANGE = Buyer(name="Borlänge kommun", orgnr="2120002239", city="Borlänge")

STAFF = Principal("user", "1", "bo@udd.se", role=Role.STAFF)
DEVELOPER = Principal("user", "2", "anna@mora.se", role=Role.DEVELOPER)
COMPANY = Principal("company", "101", "info@takab.se")


def lot(lot_id: str, tenders: int, sme: int | None, *sizes: CompanySize | None, sek: float | None = None) -> LotResult:
    winners = [Winner(name=f"Vinnare {lot_id} {i}", size=size) for i, size in enumerate(sizes)]
    return LotResult(lot_id=lot_id, status="selec-w", tenders_received=tenders, sme_tenders=sme, winners=winners,
                     value=Money(amount=sek) if sek else None)


def award(procedure: str, buyer: Buyer, published: date, cpv: str, *results: LotResult) -> Tender:
    return Tender(notice_id=f"can-{procedure}", procedure_id=procedure, publication_date=published,
                  form_type=FormType.RESULT, buyers=[buyer], main_cpv=cpv, results=list(results),
                  title={"swe": f"Upphandling {procedure}"})


S, M, L = CompanySize.SMALL, CompanySize.MEDIUM, CompanySize.LARGE
AWARDS = [
    award("P1", MORA, date(2023, 5, 10), "45233140", lot("LOT-1", 4, 3, S), lot("LOT-2", 1, 1, CompanySize.MICRO)),
    award("P2", MORA, date(2024, 2, 1), "79620000", lot("LOT-1", 2, 0, L)),
    award("P3", FALU_ENERGI, date(2024, 3, 15), "45232150", lot("LOT-1", 1, 1, M, sek=500_000)),
    award("P4", REGION, date(2024, 6, 1), "33600000", lot("LOT-1", 5, 2, L), lot("LOT-2", 3, 1, S),
          lot("LOT-3", 2, 0, L)),
    award("P5", LUDVIKAHEM, date(2023, 9, 9), "90910000", lot("LOT-1", 3, None, None)),
]
OPEN_COMPETITION = Tender(
    notice_id="cn-P6", procedure_id="P6", publication_date=date(2026, 1, 5), form_type=FormType.COMPETITION,
    buyers=[BORLANGE], main_cpv="45000000", submission_deadline=datetime.now(UTC) + timedelta(days=20),
)


def build_data_dir(data_dir: Path, notices: Iterable[Tender] = (*AWARDS, OPEN_COMPETITION)) -> Settings:
    """A store with Dalarna's award notices and, in ``data_dir/uhm``, the recorded UHM exports as "Sweden"."""
    settings = Settings(environment="test", data_dir=data_dir, secret_key=TEST_SECRET, base_url="http://testserver")
    data_dir.mkdir(parents=True, exist_ok=True)
    store = TenderStore.from_settings(settings)
    try:
        for notice in notices:
            store.upsert_notice(notice, notice.model_dump_json().encode())
    finally:
        store.close()
    shutil.copytree(UHM_FIXTURE, data_dir / "uhm")
    clear_cache()
    return settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:  # replaces the example-notice settings of tests/api/conftest.py
    return build_data_dir(tmp_path / "data")


def as_who(app: FastAPI, who: Principal | None) -> None:
    app.dependency_overrides[get_principal] = lambda: who


def csv_rows(client: TestClient, path: str) -> list[dict[str, str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.lstrip("\ufeff").splitlines()
    header = lines[0].split(";")
    return [dict(zip(header, line.split(";"), strict=True)) for line in lines[1:]]


def percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}".replace(".", ",")


def decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def assert_csv_matches(row: dict[str, str], figures: AwardFigures) -> None:
    assert row["Upphandlingar"] == str(figures.procurements)
    assert row["Delområden"] == str(figures.lots_with_tender_count)
    assert row["Anbud per upphandling"] == decimal(figures.avg_tenders_per_procurement)
    assert row["Andel delområden med ett anbud (%)"] == percent(figures.single_tender_lot_share)
    assert row["SME-andel av anbuden (%)"] == percent(figures.sme_tender_share)
    assert row["SME-andel av vinnarna (%)"] == percent(figures.sme_share_of_winners)


def awards_where(keep: Callable[[Tender], bool]) -> AwardFigures:
    return award_report([t for t in AWARDS if keep(t)]).overall


STAFF_PATHS = ["/personal/statistik", "/personal/statistik/kommuner.csv", "/personal/statistik/cpv.xlsx",
               "/personal/statistik.xlsx", "/personal/rackvidd", "/personal/kallor"]


def test_staff_pages_refuse_everyone_but_staff(app: FastAPI, client: TestClient) -> None:
    for path in STAFF_PATHS:
        as_who(app, None)
        anonymous = client.get(path, follow_redirects=False)
        back = "/personal/logga-in?" + urlencode({"tillbaka": path})  # the page asked for survives the sign-in
        assert anonymous.status_code == 303 and anonymous.headers["location"] == back, path
        for refused in (COMPANY, DEVELOPER):
            as_who(app, refused)
            assert client.get(path).status_code == 403, (path, refused.kind)
        as_who(app, STAFF)
        assert client.get(path).status_code == 200, path
    assert client.get("/personal", follow_redirects=False).headers["location"] == "/personal/statistik"


def test_municipality_csv_has_the_award_report_numbers(app: FastAPI, client: TestClient) -> None:
    as_who(app, STAFF)
    rows = {row["Kommun"]: row for row in csv_rows(client, "/personal/statistik/kommuner.csv")}
    assert len(rows) == 16  # Dalarna's 15 municipalities and the regional buyers
    mora = rows["Mora"]
    assert_csv_matches(mora, awards_where(lambda t: t.buyers[0] is MORA))
    # By hand: Mora has P1 (4 + 1 tenders) and P2 (2): 3 lots, one with a single tender, 4 of 7 bids from SMEs.
    assert (mora["Upphandlingar"], mora["Delområden"], mora["Andel delområden med ett anbud (%)"]) == ("2", "3", "33,3")
    assert mora["SME-andel av anbuden (%)"] == "57,1" and mora["Kommunkod"] == "2062"
    assert rows["Falun"]["Upphandlingar"] == "1" and rows["Ludvika"]["Upphandlingar"] == "1"
    assert_csv_matches(rows["Regionala och övriga beställare"], awards_where(lambda t: t.buyers[0] is REGION))
    assert rows["Gagnef"]["Upphandlingar"] == "0" and rows["Gagnef"]["Anbud per upphandling"] == ""


def test_comparison_csv_puts_dalarna_beside_sweden(app: FastAPI, client: TestClient) -> None:
    as_who(app, STAFF)
    rows = {row["Underlag"]: row for row in csv_rows(client, "/personal/statistik/jamforelse.csv")}
    assert_csv_matches(rows["Dalarna – tilldelningsannonser"], award_report(AWARDS).overall)
    sweden = participation_report(UHM_FIXTURE).overall
    row = rows["Sverige – Upphandlingsmyndighetens statistik"]
    assert row["Upphandlingar"] == str(sweden.procurements) and sweden.procurements > 50
    assert row["Anbud per delområde"] == decimal(sweden.avg_tenders_per_lot)
    assert row["Andel delområden med ett anbud (%)"] == percent(sweden.single_tender_lot_share)
    assert row["SME-andel av vinnarna (%)"] == percent(sweden.sme_share_of_contracts)
    assert row["SME-andel av anbuden (%)"] == ""  # UHM does not say how many bids came from SMEs
    assert row["Värde (kr)"] == str(round(sweden.contracted_value_sek))
    # The recorded exports are of municipalities bordering Dalarna: no Dalarna buyer among them.
    assert rows["Dalarna – Upphandlingsmyndighetens statistik"]["Upphandlingar"] == ""


def test_filters_change_the_numbers(app: FastAPI, client: TestClient) -> None:
    as_who(app, STAFF)

    def dalarna(query: str) -> dict[str, str]:
        rows = csv_rows(client, f"/personal/statistik/jamforelse.csv?{query}")
        return next(r for r in rows if r["Underlag"].startswith("Dalarna – till"))

    assert dalarna("")["Upphandlingar"] == "5"
    assert_csv_matches(dalarna("year=2024"), awards_where(lambda t: t.publication_date.year == 2024))  # type: ignore[union-attr]
    assert dalarna("year=2024")["Upphandlingar"] == "3"
    assert dalarna("municipality=2062")["Upphandlingar"] == "2"
    assert dalarna("municipality=2062&year=2023")["Upphandlingar"] == "1"
    assert_csv_matches(dalarna("cpv=45"), awards_where(lambda t: (t.main_cpv or "").startswith("45")))
    assert dalarna("buyer=2321000180")["Delområden"] == "3"
    assert dalarna("year=2022")["Upphandlingar"] == ""  # nothing that year: no figures rather than zeros
    # A breakdown keeps its own dimension whole: the municipality table still lists every municipality.
    mora_2024 = {r["Kommun"]: r for r in csv_rows(client, "/personal/statistik/kommuner.csv?year=2024")}["Mora"]
    assert mora_2024["Upphandlingar"] == "1" and mora_2024["SME-andel av vinnarna (%)"] == "0,0"
    sweden_45 = next(r for r in csv_rows(client, "/personal/statistik/jamforelse.csv?cpv=45")
                     if r["Underlag"].startswith("Sverige"))
    division = next(d for d in participation_report(UHM_FIXTURE).by_cpv_division if d.division == "45")
    assert sweden_45["Upphandlingar"] == str(division.procurements)
    assert client.get("/personal/statistik?year=tjugo").status_code == 422


def test_xlsx_export_keeps_numbers_as_numbers(app: FastAPI, client: TestClient) -> None:
    as_who(app, STAFF)
    response = client.get("/personal/statistik/cpv.xlsx?year=2024")
    assert response.status_code == 200
    assert 'filename="cpv.xlsx"' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert "år 2024" in str(sheet["A1"].value)
    header = [cell.value for cell in sheet[2]]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)}
    expected = {d.division: d for d in award_report([t for t in AWARDS if t.publication_date.year == 2024])  # type: ignore[union-attr]
                .by_cpv_division}
    assert set(rows) == set(expected) == {"33", "45", "79"}
    for division, figures in expected.items():
        assert rows[division]["Upphandlingar"] == figures.procurements
        assert rows[division]["SME-andel av anbuden"] == pytest.approx(figures.sme_tender_share)
        assert rows[division]["Andel delområden med ett anbud"] == pytest.approx(figures.single_tender_lot_share)
    assert sheet.cell(row=3, column=header.index("SME-andel av anbuden") + 1).number_format == "0.0%"
    workbook = load_workbook(io.BytesIO(client.get("/personal/statistik.xlsx").content))
    assert len(workbook.sheetnames) == 7


def test_dashboard_page_has_charts_with_data_tables(app: FastAPI, client: TestClient) -> None:
    as_who(app, STAFF)
    page = client.get("/personal/statistik?municipality=2062").text
    assert page.count('<img src="data:image/svg+xml;base64,') >= 5
    assert page.count("<caption") == 7 and 'scope="col"' in page and 'scope="row"' in page
    assert 'alt="Diagram: SME-andel av anbud och vinnare per år.' in page
    assert '<option value="2062" selected>Mora</option>' in page
    assert 'href="/personal/statistik/kommuner.csv?municipality=2062"' in page
    assert "Inga tilldelningsannonser" not in page


def test_dashboard_without_award_data_or_uhm_export_says_so(tmp_path: Path, app: FastAPI) -> None:
    empty = build_data_dir(tmp_path / "empty", notices=[OPEN_COMPETITION])
    shutil.rmtree(empty.data_dir / "uhm")
    bare = create_app(empty)
    bare.dependency_overrides[get_principal] = lambda: STAFF
    with TestClient(bare) as client:
        page = client.get("/personal/statistik").text
    assert "Inga tilldelningsannonser med anbudsuppgifter i databasen ännu" in page
    assert "Inga uppgifter för det här urvalet." in page
    # Without an export in the data directory the 2021 export shipped in the repository is Sweden.
    assert "Ingen UHM-export" not in page


def test_sources_page_flags_a_source_that_stopped_yielding(app: FastAPI, client: TestClient,
                                                           settings: Settings) -> None:
    as_who(app, STAFF)
    assert "TED (EU:s annonsdatabas) har aldrig körts." in client.get("/personal/kallor").text
    store = TenderStore.from_settings(settings)
    try:
        now = datetime.now(UTC)
        for days_ago, items in ((30, 40), (29, 35), (28, 38), (27, 0), (1, 0)):
            run_id = store.start_run("ted")
            store.finish_run(run_id, requests=4, items=items, errors=0, complete=True, expected=items)
            with store.engine.begin() as connection:
                connection.execute(sa.update(CrawlRunRow).where(CrawlRunRow.id == run_id)
                                   .values(started_at=now - timedelta(days=days_ago)))
    finally:
        store.close()
    page = client.get("/personal/kallor").text
    assert "Larm" in page and "har inte gett några notiser på 28,0 dygn" in page
    assert "100,0 % (0 av 0)" in page  # the newest run: nothing expected, nothing missed
