"""Forms keep what was typed and say what is wrong (issue 14): a company name too long for a profile is refused in
step 1 of the wizard with a message (it was cut to 300 characters without a word); an empty e-mail address on
/logga-in is answered with a message beside the field. (The search page: tests/api/test_search_page.py.)"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from lxml import html

from api.wizard_form import NAME_MAX_CHARS, NAME_TOO_LONG
from tests.api.conftest import csrf_token
from tests.api.test_wizard import STEP1, post


def test_a_5000_character_company_name_is_refused_with_a_message(company_client: TestClient) -> None:
    name = "Mora Tak AB " * 417  # 5,004 characters
    status, page = post(company_client, "2", {**STEP1, "name": name})
    assert status == 422
    document = html.fromstring(page)
    field = document.get_element_by_id("name")
    assert field.get("value") == name.strip()  # kept, for the visitor to shorten
    assert field.get("aria-invalid") == "true" and "name-fel" in field.get("aria-describedby")
    message = document.get_element_by_id("name-fel").text_content()
    assert message == NAME_TOO_LONG.format(length="5\u00a0003", limit=NAME_MAX_CHARS)


def test_a_name_of_300_characters_is_taken(company_client: TestClient) -> None:
    status, page = post(company_client, "2", {**STEP1, "name": "A" * NAME_MAX_CHARS})
    assert status == 200 and "name-fel" not in page


def signin(client: TestClient, email: str) -> tuple[int, html.HtmlElement]:
    response = client.post("/logga-in", data={"email": email, "csrf_token": csrf_token(client)})
    return response.status_code, html.fromstring(response.text)


def test_a_blank_e_mail_address_gets_a_message(client: TestClient) -> None:
    status, page = signin(client, "   ")
    assert status == 422
    assert "Skriv en e-postadress" in page.get_element_by_id("fel").text_content()
    assert page.get_element_by_id("email").get("aria-invalid") == "true"


@pytest.mark.parametrize("email", ["", "x" * 400 + "@foretag.se"])
def test_an_empty_or_over_long_e_mail_address_gets_a_message(client: TestClient, email: str) -> None:
    status, page = signin(client, email)
    assert status == 422
    assert "Skriv en e-postadress" in page.get_element_by_id("fel").text_content()
