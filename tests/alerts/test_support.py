"""The UDD support catalogue: the shipped file is valid, mistakes are refused in one line, rules pick support."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alerts.support import (
    DEFAULT_CATALOGUE,
    SupportCatalogueError,
    load_catalogue,
    supports_for_company,
    supports_for_notice,
)
from tenders.model import FormType, Lot, Money
from tests.matcher.alerting import make_tender


def _ids(supports) -> list[str]:
    return [s.id for s in supports]


def test_the_shipped_catalogue_has_every_support_udd_offers():
    catalogue = load_catalogue()
    assert {"anbudsskola", "individuellt-stod", "tidig-dialog", "direktupphandling", "miljoansvar",
            "socialt-ansvar", "seminarier"} <= {s.id for s in catalogue.stod}
    assert str(catalogue.kontakt.webb).startswith("https://upphandlingsdialogdalarna.se")


def test_rules_pick_the_support_that_fits_the_notice_and_the_company():
    catalogue = load_catalogue()
    assert _ids(supports_for_notice(catalogue, make_tender("a", form_type=FormType.PLANNING))) == ["tidig-dialog"]
    assert _ids(supports_for_notice(catalogue, make_tender("b", form_type=FormType.CONSULTATION))) == ["tidig-dialog"]
    green = make_tender("c", lots=[Lot(id="1", environmental_criteria=True)])
    assert _ids(supports_for_notice(catalogue, green)) == ["miljoansvar"]
    social = make_tender("d", lots=[Lot(id="1", reserved=True)])
    assert _ids(supports_for_notice(catalogue, social)) == ["socialt-ansvar"]
    lots = [Lot(id=str(i), estimated_value=Money(amount=4_000_000)) for i in range(3)]
    assert _ids(supports_for_notice(catalogue, make_tender("e", lots=lots, value_sek=None))) == [
        "delomraden-och-samverkan"]
    small_lots = [Lot(id=str(i), estimated_value=Money(amount=100_000)) for i in range(2)]
    assert _ids(supports_for_notice(catalogue, make_tender("f", lots=small_lots, value_sek=None))) == [
        "direktupphandling"]
    assert _ids(supports_for_notice(catalogue, make_tender("g", value_sek=500_000))) == ["direktupphandling"]
    assert _ids(supports_for_notice(catalogue, make_tender("h"))) == ["seminarier"]  # nothing special: fallback
    assert _ids(supports_for_company(catalogue, has_bid_before=False)) == ["anbudsskola", "individuellt-stod"]
    assert supports_for_company(catalogue, has_bid_before=None) == []


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(DEFAULT_CATALOGUE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "support_catalogue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["regler"][0].update(stod=["tidig-dailog"]), "regler[0].stod: okänt stöd 'tidig-dailog'"),
    (lambda d: d["regler"][1].update(villkor="miljo"), "regler.1.villkor"),
    (lambda d: d["stod"].append(dict(d["stod"][0])), "stödet 'anbudsskola' finns två gånger"),
    (lambda d: d["stod"][2].update(lank="inte en länk"), "stod.2.lank"),
    (lambda d: d["stod"][0].pop("rubrik"), "stod.0.rubrik"),
    (lambda d: d.update(reserv=["okänd"]), "reserv: okänt stöd 'okänd'"),
])
def test_a_broken_catalogue_is_refused_with_one_line_naming_the_place(tmp_path, change, message):
    with pytest.raises(SupportCatalogueError) as refused:
        load_catalogue(_broken(tmp_path, change))
    assert message in str(refused.value) and "\n" not in str(refused.value)
    assert str(refused.value).startswith("support_catalogue.yaml: ")


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "support_catalogue.yaml"
    path.write_text("version: 1\nstod: [\n  - id: x\n", encoding="utf-8")
    with pytest.raises(SupportCatalogueError, match=r"ogiltig YAML på rad \d+"):
        load_catalogue(path)
