"""The profile wizard without a browser (and without JavaScript): steps, suggestions, the 90-day preview, save."""

from __future__ import annotations

import re
from collections.abc import Mapping

from fastapi.testclient import TestClient

from api.security.magic_links import issue_magic_link_token
from profiles.repository import ProfileRepository
from tests.api.company_fixtures import orgnr, register
from tests.api.conftest import TEST_SECRET, csrf_token
from tests.api.test_signin import use_link

STEP1 = {"orgnr": orgnr(60), "name": "Mora Tak AB", "email": "info@moratak.se", "municipality_code": "2062",
         "size": "micro"}


def post(client: TestClient, step: str, fields: Mapping[str, object], path: str = "/registrera") -> tuple[int, str]:
    data = {**fields, "steg": step, "csrf_token": csrf_token(client, "/registrera")}
    response = client.post(path, data=data)
    return response.status_code, response.text


def hidden_and_checked(html: str) -> dict[str, list[str]]:
    """What the next POST would carry: hidden fields and ticked boxes, as a browser would send them."""
    fields: dict[str, list[str]] = {}
    for tag in re.findall(r"<input[^>]+>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and name.group(1) != "csrf_token" and ('type="hidden"' in tag or " checked" in tag):
            fields.setdefault(name.group(1), []).append(value.group(1))
    return fields


def test_step_one_refuses_bad_answers_and_keeps_good_ones(company_client: TestClient) -> None:
    status, html = post(company_client, "2", {**STEP1, "orgnr": "123", "email": "nej"})
    assert status == 422
    assert "giltigt organisationsnummer" in html and "Skriv en e-postadress" in html
    assert 'value="Mora Tak AB"' in html  # what was right stays filled in
    assert 'aria-invalid="true"' in html and 'role="alert"' in html


def test_the_wizard_suggests_previews_and_saves(company_client: TestClient) -> None:
    status, html = post(company_client, "2", STEP1)
    assert status == 200 and "Vad gör Mora Tak AB?" in html
    status, html = post(company_client, "3", {**STEP1, "sni": "", "has_bid_before": "nej",
                                               "description": "Vi utför takläggning och plåtarbeten på skolor"})
    assert status == 200
    carried = hidden_and_checked(html)
    assert any(code.startswith("4526") for code in carried["cpv"])  # roofing, from the sentence, ticked
    assert carried["municipality"] == ["2062"]  # the home municipality is suggested
    carried["municipality"] = []  # the company widens it to all of Dalarna
    status, html = post(company_client, "4", carried)
    assert status == 200
    preview = re.search(r"(\d+) annonser de senaste 90 dagarna hade passat er", html)
    assert preview and int(preview.group(1)) >= 2
    assert "Takarbeten på Mora gymnasium" in html and "Takarbeten på Mora lasarett" not in html  # 130 days old
    assert "ingår i era intressen" in html
    carried = hidden_and_checked(html) | {"consent": ["ja"]}
    status, html = post(company_client, "spara", carried, path="/registrera/spara")
    assert status == 200 and "Klart – kolla er e-post" in html
    assert "Bevakningen startar när e-postadressen har bekräftats via länken" in html
    repository: ProfileRepository = company_client.app.state.resources.profiles  # type: ignore[attr-defined]
    company = repository.by_orgnr(orgnr(60))
    assert company is not None and company.profile.name == "Mora Tak AB"
    assert any(c.startswith("4526") for c in company.profile.interests.cpv)
    assert company.profile.interests.municipalities == []
    assert company.profile.consent_at is None and company.has_bid_before is False  # pending: double opt-in
    assert [e["event"] for e in repository.consent_log(company.id)] == ["pending"]
    assert use_link(company_client, issue_magic_link_token(TEST_SECRET, company.id, "info@moratak.se")) == 303
    confirmed = repository.get(company.id)
    assert confirmed is not None and confirmed.consent_at is not None
    status, html = post(company_client, "spara", carried, path="/registrera/spara")
    assert status == 409 and "redan registrerat" in html


def test_step_three_needs_something_to_watch(company_client: TestClient) -> None:
    status, html = post(company_client, "4", {**STEP1, "interests_chosen": "1"})
    assert status == 422 and "Välj minst ett område" in html


def test_a_tampered_later_step_is_checked_from_the_start(company_client: TestClient) -> None:
    status, html = post(company_client, "spara", {**STEP1, "orgnr": "5566", "cpv": "45"}, path="/registrera/spara")
    assert status == 422 and "giltigt organisationsnummer" in html
    status, _ = post(company_client, "4", {**STEP1, "cpv_extra": "4x", "interests_chosen": "1"})
    assert status == 422


def test_wizard_posts_need_the_csrf_token(company_client: TestClient) -> None:
    company_client.get("/registrera")
    assert company_client.post("/registrera", data={**STEP1, "steg": "2"}).status_code == 403


def test_step_one_says_at_once_that_the_orgnr_is_registered(company_client: TestClient) -> None:
    register(company_client, 61)
    taken = {**STEP1, "orgnr": orgnr(61)}
    status, html = post(company_client, "2", taken)
    assert status == 422 and "redan registrerat" in html and "Vad gör" not in html  # still on step 1
    # the same company's own unconfirmed registration may go on: saving again re-sends its link
    status, html = post(company_client, "2", {**taken, "email": "info61@tak61.se"})
    assert status == 200 and "Vad gör Mora Tak AB?" in html
