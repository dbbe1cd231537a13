from dataclasses import dataclass

import numpy as np

from matcher.sni import SniScorer, suggest_cpv
from matcher.sni_tables import SniTables, cpv_path, sni_keys, write_tables


@dataclass(frozen=True)
class FakeWin:
    sni: str
    size: str | None
    main_cpv: str | None
    title: str


WINS = (
    [FakeWin("43910", "micro", "45261210", "Takbyte skola")] * 20
    + [FakeWin("43210", "small", "45310000", "Elinstallation")] * 20
    + [FakeWin("62010", "large", "48000000", "Verksamhetssystem")] * 20
)


def test_cpv_path_stops_where_the_code_stops():
    assert cpv_path("45261210") == ("45", "452", "4526", "45261")
    assert cpv_path("45200000") == ("45", "452", "452$")
    assert cpv_path("45000000") == ("45", "45$")


def test_sni_keys_go_from_everyone_to_the_unit():
    assert sni_keys("43210", "small") == ("", "43", "432", "4321", "43210", "43210|small")
    assert sni_keys("4321", None) == ("", "43", "432", "4321")


def test_a_code_scores_its_own_cpv_above_others():
    scorer = SniScorer(SniTables.from_wins(WINS), [("43910", "micro"), ("62010", "large")])
    roof = scorer.cpv_log_lift("45261210")
    assert roof[0] > 0 > roof[1]


def test_an_unseen_code_backs_off_to_its_siblings():
    # 43999 never won anything, but the 3-digit group 439 (roofers) did: roofing still scores above base rate
    scorer = SniScorer(SniTables.from_wins(WINS), [("43999", None), ("01110", None)])
    roof = scorer.cpv_log_lift("45261000")
    assert roof[0] > 0 and roof[0] > roof[1]


def test_title_terms_add_only_positive_evidence():
    scorer = SniScorer(SniTables.from_wins(WINS), [("62010", "large"), ("43910", "micro")])
    boost = scorer.term_boost(["verksamhetssystem"])
    assert boost[0] > 0 and boost[1] == 0


def test_tables_round_trip_through_files(tmp_path):
    write_tables(WINS, {"threshold": 1.0}, tmp_path)
    units = [("43910", "micro"), ("43210", "small")]
    loaded = SniScorer(SniTables.load(tmp_path), units)
    built = SniScorer(SniTables.from_wins(WINS, {"threshold": 1.0}), units)
    assert np.allclose(loaded.scores(["45261210"], ["takbyt"]), built.scores(["45261210"], ["takbyt"]))
    assert loaded.threshold == 1.0


def test_shipped_tables_suggest_roofing_for_roofers(shipped_tables):
    suggestions = suggest_cpv(shipped_tables, ["43910"], "micro")
    assert suggestions and suggestions[0].prefix.startswith("4526")
    assert all(s.lift > 1 for s in suggestions)
    assert "Takarbeten" in suggestions[0].label
