"""The UHM statistics spider against a local copy of the statistics service answering with tests/fixtures/uhm.

The crawled directory must give the same participation figures as the fixture directory read directly, and
a broken or cut-off export must fail the run and leave the published data as it was, never shrink it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from crawlers.files import merge_periods
from crawlers.spiders.uhm import EXPORT_PATH, EXPORTS
from tenders.settings import Settings
from tenders.stats.participation import participation_report
from tenders.store import CrawlRun, TenderStore
from tests.crawlers.conftest import FAST_SETTINGS, FIXTURES, ROOT, ReplayServer, Reply, Seen, crawl_env
from tests.crawlers.sites import run_crawl

SERVICE_DIR = FIXTURES / "uhm" / "service-2021-dalarna-neighbours"
YEAR = "2021"
CSV = {"Content-Type": "text/csv; charset=utf-8"}


def fixture_text(name: str) -> str:
    return (SERVICE_DIR / f"{name}.csv").read_bytes().decode("utf-8-sig")  # CRLF kept, unlike read_text


def fixture_header(name: str) -> list[str]:
    return fixture_text(name).split("\r\n", 1)[0].split(";")


def fixture_rows(name: str) -> list[str]:
    """The data lines of a fixture file, counted here independently of the spider's reader."""
    return fixture_text(name).split("\r\n")[1:-1]


class StatisticsService(ReplayServer):
    """Answers the export URL like the service: the fixture file for the distributed unit asked, or, asked
    without variables, the year's sum of the measure (the control total). ``served`` replaces a file's body."""

    def __init__(self) -> None:
        super().__init__()
        requests = json.loads((SERVICE_DIR / "requests.json").read_text(encoding="utf-8"))
        self.files = {spec["distributedUnit"]: name for name, spec in requests.items()}
        self.served: dict[str, bytes] = {}

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.seen.append(Seen(method, path, headers, body, time.monotonic()))
        url = urlsplit(path)
        query = parse_qs(url.query)
        name = self.files.get(query.get("distributedUnit", [""])[0])
        if method != "GET" or url.path != EXPORT_PATH or name is None or query.get("measurement") != ["SUM"]:
            return Reply(404, b"<html><body>Sidan kunde inte hittas</body></html>", {"Content-Type": "text/html"})
        if query.get("year") != [YEAR]:
            return Reply(200, (SERVICE_DIR / f"{name}.csv").read_bytes().split(b"\r\n", 1)[0] + b"\r\n", CSV)
        if "param" not in query:
            return Reply(200, self._control_total(name), CSV)
        if [p.split(".", 1)[1] for p in query["param"]] != fixture_header(name)[1:-1]:
            return Reply(400, b'{"message": "Ogiltiga parametrar"}', {"Content-Type": "application/json"})
        return Reply(200, self.served.get(name) or (SERVICE_DIR / f"{name}.csv").read_bytes(), CSV)

    def _control_total(self, name: str) -> bytes:
        measure = fixture_header(name)[-1]
        total = sum(float(line.rsplit(";", 1)[1]) for line in fixture_rows(name))
        return f"\ufeffÅr;{measure}\r\n{YEAR};{total:.0f}\r\n".encode()

    def export_requests(self) -> list[dict[str, list[str]]]:
        return [parse_qs(urlsplit(s.path).query) for s in self.seen if urlsplit(s.path).path == EXPORT_PATH]


@dataclass
class Crawl:
    data_dir: Path
    result: subprocess.CompletedProcess[str]
    requests: list[dict[str, list[str]]]

    @property
    def published(self) -> Path:
        return self.data_dir / "uhm" / YEAR

    def runs(self) -> list[CrawlRun]:
        store = TenderStore.from_settings(Settings(data_dir=self.data_dir))
        try:
            return store.runs("uhm")
        finally:
            store.close()


def crawl_uhm(data_dir: Path, served: dict[str, bytes] | None = None, *settings: str) -> Crawl:
    service = StatisticsService()
    service.served.update(served or {})
    with service:
        result = run_crawl(data_dir, "uhm", f"UHM_BASE_URL={service.base_url}", f"UHM_YEAR={YEAR}", *settings)
        return Crawl(data_dir, result, service.export_requests())


@pytest.fixture(scope="module")
def good_crawl(tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    return crawl_uhm(tmp_path_factory.mktemp("uhm"))


@pytest.fixture
def published_once(good_crawl: Crawl, tmp_path: Path) -> Crawl:
    """A data directory (store and published files) as the good crawl left it, for a test to crawl into."""
    assert good_crawl.result.returncode == 0, good_crawl.result.stderr[-3000:]
    data_dir = shutil.copytree(good_crawl.data_dir, tmp_path / "data")
    return Crawl(data_dir, good_crawl.result, good_crawl.requests)


def report_without_paths(uhm_dir: Path) -> dict[str, Any]:
    report = participation_report(uhm_dir).model_dump()
    for summary in report["inputs"]:
        summary["file"] = Path(summary["file"]).name
    return report


def test_crawl_publishes_the_four_exports_byte_for_byte(good_crawl: Crawl):
    assert good_crawl.result.returncode == 0, good_crawl.result.stderr[-3000:]
    for export in EXPORTS:
        assert (good_crawl.published / f"{export.name}.csv").read_bytes() == (
            SERVICE_DIR / f"{export.name}.csv").read_bytes()
    manifest = json.loads((good_crawl.published / "manifest.json").read_text(encoding="utf-8"))
    assert {name: entry["rows"] for name, entry in manifest["files"].items()} == {
        f"{e.name}.csv": len(fixture_rows(e.name)) for e in EXPORTS}
    assert not [p for p in good_crawl.published.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_crawled_directory_gives_the_fixture_directory_figures(good_crawl: Crawl):
    crawled = report_without_paths(good_crawl.published)
    assert crawled == report_without_paths(SERVICE_DIR)
    assert crawled["overall"]["procurements"] > 0 and crawled["overall"]["contracted_tenders"] > 0


def test_the_crawled_years_are_merged_where_the_dashboard_reads(good_crawl: Crawl):
    merged = good_crawl.published.parent
    assert report_without_paths(merged) == report_without_paths(SERVICE_DIR)


def test_merging_two_years_keeps_each_year_whole(tmp_path: Path):
    for year in ("2020", "2021"):
        (tmp_path / year).mkdir()
        for export in EXPORTS:
            text = fixture_text(export.name).replace("\r\n2021;", f"\r\n{year};")
            (tmp_path / year / f"{export.name}.csv").write_bytes(("\ufeff" + text).encode())
    merge_periods(tmp_path, [f"{e.name}.csv" for e in EXPORTS])
    for export in EXPORTS:
        merged = (tmp_path / f"{export.name}.csv").read_bytes().decode("utf-8-sig").split("\r\n")
        assert merged[0] == ";".join(fixture_header(export.name)) and "\ufeff" not in "".join(merged)
        assert len(merged) == 2 + 2 * len(fixture_rows(export.name))  # header, both years, final line end
    single_year = participation_report(SERVICE_DIR).overall
    by_year = {entry.year: entry for entry in participation_report(tmp_path).by_year}
    assert sorted(by_year) == ["2020", "2021"]
    for entry in by_year.values():  # (the copied years share lot ids, so lot figures merge across them)
        assert entry.procurements == single_year.procurements
        assert entry.contracted_value_sek == single_year.contracted_value_sek
        assert entry.contracted_tenders_by_size == single_year.contracted_tenders_by_size


def test_the_run_is_recorded_complete_with_the_rows_as_items(good_crawl: Crawl):
    [run] = good_crawl.runs()
    assert run.complete and run.errors == 0
    assert run.items == sum(len(fixture_rows(e.name)) for e in EXPORTS)
    assert "komplett: ja" in good_crawl.result.stdout


def test_each_export_asks_for_its_variables_and_a_control_total(good_crawl: Crawl):
    detailed = [q for q in good_crawl.requests if "param" in q]
    controls = [q for q in good_crawl.requests if "param" not in q]
    assert sorted(q["distributedUnit"][0] for q in detailed) == sorted(q["distributedUnit"][0] for q in controls)
    assert len(detailed) == len(EXPORTS) and all(q["year"] == [YEAR] for q in good_crawl.requests)


def test_a_second_crawl_of_the_same_data_counts_its_rows_unchanged(published_once: Crawl):
    again = crawl_uhm(published_once.data_dir)
    assert again.result.returncode == 0, again.result.stderr[-3000:]
    newest = again.runs()[0]
    assert newest.complete and newest.items == published_once.runs()[-1].items
    assert f"0 nya, 0 ändrade, {newest.items} oförändrade" in again.result.stdout


def cut_mid_row(name: str) -> bytes:
    data = (SERVICE_DIR / f"{name}.csv").read_bytes()
    return data[: len(data) * 2 // 3]


def cut_at_row_end(name: str, keep: int) -> bytes:
    data = (SERVICE_DIR / f"{name}.csv").read_bytes()
    return b"\r\n".join(data.split(b"\r\n")[: keep + 1]) + b"\r\n"


def renamed_column(name: str) -> bytes:
    return (SERVICE_DIR / f"{name}.csv").read_bytes().replace("Anbudsområdes-ID".encode(), b"Delomrades-ID", 1)


@pytest.mark.parametrize(
    ("served", "reason"),
    [
        ({"contracted_suppliers": cut_mid_row("contracted_suppliers")}, "contracted_suppliers: sista raden slutar"),
        ({"tenders_per_lot": cut_at_row_end("tenders_per_lot", 30)}, "tenders_per_lot: raderna summerar"),
        ({"tenders_per_lot": renamed_column("tenders_per_lot")}, "tenders_per_lot: oväntad rubrikrad"),
        ({"procurements": b"<html><body>Tekniskt fel</body></html>"}, "procurements: svaret är en HTML"),
    ],
    ids=["cut-mid-row", "cut-at-row-end", "renamed-column", "html-error-page"],
)
def test_a_broken_export_fails_the_run_and_keeps_the_published_data(
    published_once: Crawl, served: dict[str, bytes], reason: str
):
    before = {p.name: p.read_bytes() for p in published_once.published.iterdir()}
    broken = crawl_uhm(published_once.data_dir, served)
    assert broken.result.returncode != 0
    assert reason in broken.result.stderr.strip().splitlines()[-1]
    newest = broken.runs()[0]
    assert not newest.complete and newest.items == 0 and newest.errors >= 1
    assert {p.name: p.read_bytes() for p in published_once.published.iterdir()} == before
    assert not [p for p in published_once.published.parent.iterdir() if p.name.startswith(".")]


def test_a_broken_export_on_the_first_crawl_publishes_nothing(tmp_path: Path):
    broken = crawl_uhm(tmp_path, {"contracted_value": cut_at_row_end("contracted_value", 10)})
    assert broken.result.returncode != 0 and not (tmp_path / "uhm" / YEAR).exists()


def test_a_year_without_rows_is_an_error_not_an_empty_dataset(tmp_path: Path):
    with StatisticsService() as service:
        result = run_crawl(tmp_path, "uhm", f"UHM_BASE_URL={service.base_url}", "UHM_YEAR=2019")
    assert result.returncode != 0 and "0 rader, minst 1 väntade" in result.stderr
    assert not (tmp_path / "uhm" / "2019").exists()


def test_crawl_uhm_command_takes_the_year_and_saves_what_the_service_sent(tmp_path: Path):
    executable = shutil.which("anbudsvakt", path=str(ROOT / ".venv" / "bin"))
    assert executable, "the anbudsvakt console script is not installed in .venv"
    saved = tmp_path / "saved"
    with StatisticsService() as service:
        settings = [part for s in (*FAST_SETTINGS, f"UHM_BASE_URL={service.base_url}") for part in ("-s", s)]
        result = subprocess.run(
            [executable, "crawl", "uhm", "--year", YEAR, "--save-fixtures", str(saved), *settings],
            cwd=tmp_path, env=crawl_env(tmp_path, "http://127.0.0.1:9/unused"), capture_output=True, text=True,
            timeout=180, check=False,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "uhm" / YEAR / "procurements.csv").is_file()
    manifest = [json.loads(line) for line in (saved / "uhm" / "manifest.jsonl").read_text().splitlines()]
    bodies = {(saved / "uhm" / entry["file"]).read_bytes() for entry in manifest if "param=" in entry["url"]}
    assert bodies == {(SERVICE_DIR / f"{e.name}.csv").read_bytes() for e in EXPORTS}
