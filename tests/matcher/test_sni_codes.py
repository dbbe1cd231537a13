"""SNI codes in one form, five digits for a detailed group: what the export, a company and the matcher read."""

import csv
import gzip

import pytest

from matcher.match.model import MatchProfile
from matcher.sni_tables import CPV_FILE, DATA_DIR, TERM_FILE, SniTables, sni_keys
from profiles.model import CompanyProfile
from tenders.codelists import data_path
from tenders.sni import ZERO_LED_DETAILED_GROUPS, detailed_group, normalise_sni
from tenders.stats.uhm_records import read_wins


@pytest.mark.parametrize(("written", "code"), [
    ("02200", "02200"), ("02.200", "02200"), ("2.200", "02200"), ("2200", "02200"), (" 02 200 ", "02200"),
    ("1110", "01110"), ("01.11", "0111"), ("2", "02"), ("02", "02"), ("022", "022"),
    ("4321", "4321"),  # a class: no detailed group 04321 exists
    ("16.10", "1610"),  # the class 16.10 (sawmills), written as SCB writes a class
    ("1610", "01610"),  # four digits that are a zero-led detailed group: 01.610, as a registered code would be
    ("43210", "43210"),
])
def test_codes_are_read_at_their_level_with_the_zero_back(written, code):
    assert normalise_sni(written) == code


@pytest.mark.parametrize("junk", ["", None, "0", "00000", "123456", "SNI", "02.2000", "Uppgift saknas"])
def test_what_is_no_sni_code(junk):
    assert normalise_sni(junk) is None


def test_every_zero_led_code_the_export_has_is_known():
    with data_path("sni2007_codes_seen_in_uhm_2021.csv").open(encoding="utf-8", newline="") as handle:
        seen = {r["code"] for r in csv.DictReader(handle) if r["level"] == "detaljgrupp" and r["code"][0] == "0"}
    assert seen and seen <= ZERO_LED_DETAILED_GROUPS


def test_the_export_reader_gives_the_dropped_zero_back():
    codes = {win.sni for win in read_wins()}
    assert {"02200", "01110", "02102"} <= codes
    assert all(len(code) == 5 and code.isdigit() for code in codes)
    assert detailed_group("2200") == "02200" and detailed_group("0") is None


def test_shipped_tables_hold_five_digit_codes_only():
    with (DATA_DIR / CPV_FILE).open(encoding="utf-8", newline="") as handle:
        cpv = {row["sni"] for row in csv.DictReader(handle)}
    with gzip.open(DATA_DIR / TERM_FILE, "rt", encoding="utf-8", newline="") as handle:
        terms = {row["sni"] for row in csv.DictReader(handle)}
    assert "02200" in cpv and "01110" in cpv
    assert all(len(code) == 5 for code in cpv | terms)


def test_forestry_sits_in_division_02_not_22():
    assert sni_keys("2200", "micro") == sni_keys("02200", "micro") == (
        "", "02", "022", "0220", "02200", "02200|micro")
    tables = SniTables.load()
    assert tables.cpv[""].get("02200", 0) > 0 and "2200" not in tables.cpv[""]


def test_a_company_may_write_its_code_as_scb_or_a_spreadsheet_does():
    company = CompanyProfile(orgnr="5560360793", name="Skog AB", sni=["02.200", "2200", "02200", "1110"])
    assert company.sni == ["02200", "01110"]
    with pytest.raises(ValueError, match="SNI-koden"):
        CompanyProfile(orgnr="5560360793", name="Skog AB", sni=["123456"])


def test_matcher_input_holds_the_five_digit_code():
    profile = MatchProfile(id="p", sni=["2200", "02.200", "1110", "SNI", None, "4321"])
    assert profile.sni == ["02200", "01110", "4321"]
