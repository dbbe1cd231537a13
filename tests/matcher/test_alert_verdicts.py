"""A company's "inte relevant" verdicts shape its next digest: the rejected procurement never alerts again and
similar notices (same CPV group, same buyer) are down-ranked, while a company without verdicts is unaffected."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from app.daily import daily_pipeline
from matcher.feedback import BUYER_PENALTY, GROUP_PENALTY
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _outbox(store) -> dict[tuple[str, str], tuple[float, list[str]]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text("select company_id, notice_id, score, reasons from alert_outbox")).all()
    # The JSON column comes back as text through a plain SQL query.
    return {(c, n): (score, json.loads(reasons) if isinstance(reasons, str) else reasons)
            for c, n, score, reasons in rows}


def test_verdicts_drop_the_rejected_procurement_and_down_rank_similar_notices(tmp_path) -> None:
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    judging = add_company(profiles, 610)
    control = add_company(profiles, 611)  # same interests, no verdicts
    rejected = make_tender("old-roof", procedure_id="proc-roof", title="Takarbeten på Mora skola")
    store.upsert_notice(rejected, b"<xml/>")
    profiles.record_feedback(judging.id, "proc-roof", relevant=False)

    # New today: another notice of the rejected procurement, and a similar roofing job by the same buyer.
    store.upsert_notice(make_tender("roof-pin", procedure_id="proc-roof", title="Takarbeten på Mora skola, etapp 2"),
                        b"<xml/>")
    store.upsert_notice(make_tender("similar", title="Takarbeten på Noret skola"), b"<xml/>")
    daily_pipeline(settings, datetime.now(UTC), crawl=False)
    outbox = _outbox(store)

    assert (control.id, "roof-pin") in outbox and (judging.id, "roof-pin") not in outbox
    control_score, _ = outbox[(control.id, "similar")]
    if control_score * GROUP_PENALTY * BUYER_PENALTY >= 0.1:
        judged_score, reasons = outbox[(judging.id, "similar")]
        assert judged_score == round(control_score * GROUP_PENALTY * BUYER_PENALTY, 3)
        assert reasons == outbox[(control.id, "similar")][1]  # the order changes, not why it fits
    else:  # too weak after the penalties to be worth an alert
        assert (judging.id, "similar") not in outbox
    assert not any("inte relevant" in reason for reason in outbox[(control.id, "similar")][1])
