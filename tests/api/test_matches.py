"""A company's matches with reasons, its verdicts (and how they re-rank), and following tenders."""

from __future__ import annotations

from fastapi.testclient import TestClient

from matcher.feedback import FeedbackSignals, NoticeTraits, down_rank, feedback_signals
from matcher.match import Match
from tests.api.company_fixtures import register
from tests.api.test_companies import sign_in


def matches(client: TestClient, company_id: str) -> list[dict[str, object]]:
    response = client.get(f"/api/companies/{company_id}/matches")
    assert response.status_code == 200, response.text
    data: list[dict[str, object]] = response.json()["data"]
    assert response.json()["count"] == len(data)
    return data


def test_matches_of_the_last_90_days_with_swedish_reasons(company_client: TestClient) -> None:
    company_id = register(company_client, 10, interests={"cpv": ["4526"]})
    sign_in(company_client, company_id, "info10@tak10.se")
    found = {m["tender_id"]: m for m in matches(company_client, company_id)}
    assert set(found) == {"dal-tak-mora", "dal-tak-falun"}  # roofing; the 130-day-old one is outside the window
    assert any("Takläggningsarbete ingår i era intressen" in r for r in found["dal-tak-mora"]["reasons"])  # type: ignore[attr-defined]
    assert found["dal-tak-mora"]["url"] == "/upphandlingar/dal-tak-mora"


def test_place_filter_and_keywords_change_what_matches(company_client: TestClient) -> None:
    company_id = register(company_client, 11, interests={"keywords": ["städning"], "municipalities": ["2080"]})
    sign_in(company_client, company_id, "info11@tak11.se")
    assert [m["tender_id"] for m in matches(company_client, company_id)] == ["dal-stad-falun"]


def test_inte_relevant_removes_the_tender_and_down_ranks_similar_ones(company_client: TestClient) -> None:
    company_id = register(company_client, 12, interests={"cpv": ["45"]})
    headers = sign_in(company_client, company_id, "info12@tak12.se")
    matches_before = matches(company_client, company_id)
    before = {m["tender_id"]: m["score"] for m in matches_before}
    assert {"dal-tak-mora", "dal-tak-falun", "dal-fasad-borlange"} <= set(before)
    verdict = company_client.put(f"/api/companies/{company_id}/feedback/dal-tak-mora", headers=headers,
                                 json={"relevant": False})
    assert verdict.status_code == 204
    after = {m["tender_id"]: m for m in matches(company_client, company_id)}
    assert "dal-tak-mora" not in after
    assert after["dal-tak-falun"]["score"] < before["dal-tak-falun"]  # type: ignore[operator]  # same group 452
    # down-ranking changes the order, not "Därför passar den er": the reasons stay the notice's own
    assert after["dal-tak-falun"]["reasons"] == next(
        m["reasons"] for m in matches_before if m["tender_id"] == "dal-tak-falun")
    # a procurement the company follows is never down-ranked
    assert company_client.put(f"/api/companies/{company_id}/follows/dal-tak-falun", headers=headers).status_code == 204
    followed = {m["tender_id"]: m for m in matches(company_client, company_id)}
    assert followed["dal-tak-falun"]["score"] == before["dal-tak-falun"]
    company_client.delete(f"/api/companies/{company_id}/follows/dal-tak-falun", headers=headers)
    assert after["dal-fasad-borlange"]["score"] == before["dal-fasad-borlange"]  # group 454, other buyer
    # A "relevant" verdict in the same group lifts the penalty again.
    company_client.put(f"/api/companies/{company_id}/feedback/dal-tak-falun", headers=headers, json={"relevant": True})
    lifted = {m["tender_id"]: m for m in matches(company_client, company_id)}
    assert lifted["dal-tak-falun"]["score"] == before["dal-tak-falun"] and lifted["dal-tak-falun"]["relevant"] is True
    assert company_client.put(f"/api/companies/{company_id}/feedback/finns-inte", headers=headers,
                              json={"relevant": False}).status_code == 404


def test_follow_and_unfollow(company_client: TestClient) -> None:
    company_id = register(company_client, 13)
    headers = sign_in(company_client, company_id, "info13@tak13.se")
    base = f"/api/companies/{company_id}/follows"
    assert company_client.put(f"{base}/dal-it-mora", headers=headers).status_code == 204
    assert company_client.put(f"{base}/dal-it-mora", headers=headers).status_code == 204  # idempotent
    listed = company_client.get(base).json()
    assert listed["count"] == 1 and listed["data"][0]["title"] == "Drift av IT-system för Mora kommun"
    assert company_client.put(f"{base}/finns-inte", headers=headers).status_code == 404
    assert company_client.put(f"{base}/dal-stad-falun").status_code == 403  # no CSRF token
    assert company_client.delete(f"{base}/dal-it-mora", headers=headers).status_code == 204
    assert company_client.delete(f"{base}/dal-it-mora", headers=headers).status_code == 404
    assert company_client.get(base).json()["count"] == 0


def traits(tender_id: str, group: str, buyer: str) -> NoticeTraits:
    return NoticeTraits(tender_id, frozenset({group}), buyer)


def test_down_rank_is_pure_and_combines_penalties() -> None:
    known = {"a": traits("a", "452", "mora"), "b": traits("b", "452", "mora"), "c": traits("c", "452", "falun"),
             "d": traits("d", "909", "mora"), "e": traits("e", "722", "ludvika")}
    signals = feedback_signals({"a": False}, known)
    ranked = down_rank([Match("p", x, 0.8, ["r"]) for x in "abcde"], known, signals)
    scores = {m.notice_id: m.score for m in ranked}
    assert "a" not in scores
    assert scores["b"] == 0.28 and scores["c"] == 0.4 and scores["d"] == 0.56 and scores["e"] == 0.8
    assert [m.notice_id for m in ranked] == ["e", "d", "c", "b"]
    weak = down_rank([Match("p", "b", 0.2, [])], known, signals)
    assert weak == []  # below the floor after both penalties
    no_verdicts = FeedbackSignals(frozenset(), frozenset(), frozenset())
    assert down_rank([Match("p", "b", 0.5, [])], known, no_verdicts)[0].score == 0.5
