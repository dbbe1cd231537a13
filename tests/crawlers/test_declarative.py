"""Declarative sources: the schema refuses bad definitions in one line, ``source try`` shows what a page
yields, and the example definition crawls a local copy of a municipality's page into the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli.main import build_app
from crawlers.sources.definition import DEFINITIONS_DIR, DefinitionError, definition_from_dict, load_definition
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.sites import SOURCES, Site, SiteServer, html, run_crawl

PAGES = SOURCES / "declarative"
EXAMPLE = DEFINITIONS_DIR / "exempel-kommun.yaml"
LIST_PATH = "/naringsliv-och-arbete/upphandling/pagaende-upphandlingar"
SLUGS = ("vinterdack-till-kommunens-fordon", "ombyggnad-av-kulturhuset", "catering-vid-evenemang")


def example() -> dict:
    return yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))


def example_site(list_page: Path = PAGES / "exempel_list.html") -> Site:
    return Site(pages={
        LIST_PATH: html(list_page),
        f"{LIST_PATH}?page=2": html(PAGES / "exempel_list_page2.html"),
        **{f"{LIST_PATH}/{slug}": html(PAGES / f"exempel_{slug}.html") for slug in SLUGS},
    }, robots="User-agent: *\nDisallow: /sok\n")


def local_definition(folder: Path, base_url: str) -> Path:
    data = {**example(), "start_urls": [base_url + LIST_PATH]}
    path = folder / "exempel-kommun.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["list"]["fields"].update(titel={"css": "h3"}), "list.fields: okänt fält 'titel'"),
    (lambda d: d["list"]["fields"].update(title={"css": "h3", "xpath": "//h3"}), "list.fields.title: ange exakt en av"),
    (lambda d: d["list"].update(rows={"css": "ul >> li"}), "list.rows: ogiltig selektor"),
    (lambda d: d["detail"]["fields"]["reference"].update(regex="(x"), "detail.fields.reference: ogiltig selektor"),
    (lambda d: d.pop("list"), "'list' is a required property"),
    (lambda d: d.update(start_urls=["ftp://x"]), "start_urls.0:"),
    (lambda d: d.pop("terms_url"), "'terms_url' is a required property"),
    (lambda d: d.update(automated_access="ja"), "automated_access:"),
])
def test_a_bad_definition_is_refused_in_one_line(change, message):
    data = example()
    change(data)
    with pytest.raises(DefinitionError) as refused:
        definition_from_dict(data)
    assert message in str(refused.value) and "\n" not in str(refused.value)


def test_the_example_definition_is_valid():
    definition = load_definition("exempel-kommun")
    assert definition.name == "exempel-kommun" and definition.buyer and definition.buyer.name == "Exempelby kommun"
    # an example: switched off, and it says where terms would be read and what they would allow
    assert not definition.enabled and definition.terms_url.startswith("https://") and definition.automated_access
    assert definition.layout.detail is not None and "deadline" in definition.layout.detail.fields


def test_source_try_on_a_saved_page_prints_what_it_extracts():
    result = CliRunner().invoke(build_app(), ["source", "try", "exempel-kommun", str(PAGES / "exempel_list.html"),
                                              "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["count"] == 2 and shown["next_page"].endswith(f"{LIST_PATH}?page=2")
    titles = [t["title"]["swe"] for t in shown["tenders"]]
    assert titles == ["Vinterdäck och däckhotell för kommunens fordon", "Ombyggnad av Kulturhusets entré"]
    assert shown["tenders"][0]["submission_deadline"] == "2026-12-01T23:59:00+01:00"  # "1 december 2026"
    assert shown["tenders"][1]["main_cpv"] == "45000000"


def test_source_try_fetches_the_page_and_its_details(tmp_path: Path):
    server = SiteServer(example_site())
    with server:
        definition = local_definition(tmp_path, server.base_url)
        result = CliRunner().invoke(build_app(), ["source", "try", str(definition), "--json"])
    assert result.exit_code == 0, result.output
    first = json.loads(result.stdout)["tenders"][0]
    assert first["documents_url"].endswith("UppId=61001")
    assert "80 fordon" in first["description"]["swe"]


def test_source_try_says_when_the_structure_changed():
    page = SOURCES / "eavrop" / "empty.html"
    result = CliRunner().invoke(build_app(), ["source", "try", "exempel-kommun", str(page)])
    assert result.exit_code == 1
    assert "struktur ändrad: inga träffar för listselektorn 'ul.upphandlingar > li'" in result.stderr


def test_source_try_refuses_a_bad_definition_in_one_line(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nlabel: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(build_app(), ["source", "try", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"fel: {bad}: inte giltig YAML") and result.stderr.count("\n") == 1


def crawl_example(tmp_path: Path, list_page: Path) -> tuple[int, TenderStore]:
    server = SiteServer(example_site(list_page))
    with server:
        definitions = tmp_path / "definitions"
        definitions.mkdir(parents=True)
        local_definition(definitions, server.base_url)
        result = run_crawl(tmp_path, "exempel-kommun", f"SOURCE_DEFINITIONS_DIR={definitions}",
                           "SOURCES_ENABLED=exempel-kommun")  # the example is switched off in its definition
    return result.returncode, TenderStore.from_settings(Settings(data_dir=tmp_path))


def test_the_example_source_crawls_list_pages_and_details_into_the_store(tmp_path: Path):
    status, store = crawl_example(tmp_path, PAGES / "exempel_list.html")
    try:
        run = store.runs("exempel-kommun")[0]
        tenders = list(store.iter_tenders())
    finally:
        store.close()
    assert status == 0 and run.complete and run.items == 3
    by_title = {t.title["swe"]: t for t in tenders}
    catering = by_title["Catering vid kommunens evenemang 2027"]  # on page 2
    assert catering.submission_deadline and catering.submission_deadline.isoformat() == "2027-01-05T12:00:00+01:00"
    assert str(catering.publication_date) == "2026-10-20"
    tyres = by_title["Vinterdäck och däckhotell för kommunens fordon"]
    assert str(tyres.publication_date) == "2026-10-03"  # "3 oktober 2026"
    assert tyres.buyers[0].name == "Exempelby kommun" and tyres.place_of_performance == ["SE312"]
    assert all(t.source == "exempel-kommun" and t.raw_format == "html" for t in tenders)


def test_an_honestly_empty_page_is_no_alarm_but_a_changed_one_is(tmp_path: Path):
    status, store = crawl_example(tmp_path / "empty", PAGES / "exempel_list_empty.html")
    try:
        empty_run = store.runs("exempel-kommun")[0]
    finally:
        store.close()
    assert status == 0 and empty_run.complete and empty_run.items == 0
    status, store = crawl_example(tmp_path / "changed", SOURCES / "eavrop" / "changed_layout.html")
    try:
        changed_run = store.runs("exempel-kommun")[0]
    finally:
        store.close()
    assert status == 2 and not changed_run.complete
    assert "struktur ändrad: inga träffar för listselektorn" in changed_run.note


def test_a_switched_off_source_fetches_nothing_and_its_run_says_blockerad(tmp_path: Path):
    server = SiteServer(example_site())
    with server:
        definitions = tmp_path / "definitions"
        definitions.mkdir(parents=True)
        local_definition(definitions, server.base_url)
        result = run_crawl(tmp_path, "exempel-kommun", f"SOURCE_DEFINITIONS_DIR={definitions}")
        seen = [s.path for s in server.seen]
    assert result.returncode == 2 and "blockerad: avstängd i källdefinitionen" in result.stderr
    assert seen == []  # not even robots.txt
    store = TenderStore.from_settings(Settings(data_dir=tmp_path))
    try:
        run = store.runs("exempel-kommun")[0]
    finally:
        store.close()
    assert not run.complete and "blockerad" in run.note and "inte nåbar" not in run.note
