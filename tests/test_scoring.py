"""Scores, hand-computed: not assessed is not zero, excluded drops out, above target counts."""
import pandas as pd

from aims.assessment import scoring


def frame(rows):
    """rows: (id, kind, top_group, applicable, maturity, target, evidence, mandatory)."""
    df = pd.DataFrame(rows, columns=["req_id", "kind", "top_group", "applicable", "maturity", "target",
                                     "evidence_strength", "mandatory_doc"])
    df["maturity"] = df["maturity"].astype("Int64")
    df["target"] = df["target"].astype("Int64")
    df["group_title"] = df["top_group"]
    df["order"] = range(len(df))
    return df


CASE = frame([
    ("4.1", "clause", "4", True, 3, 3, "documented", True),    # at target, documented
    ("4.2", "clause", "4", True, 1, 3, "claimed", False),      # gap 2
    ("4.3", "clause", "4", True, None, 3, "none", True),       # not assessed
    ("A.2.2", "control", "A.2", True, 5, 3, "verified", True), # above target (gap -2)
    ("A.2.3", "control", "A.2", False, 0, 3, "none", False),   # excluded, rated 0: ignored
    ("A.2.4", "control", "A.2", True, 2, 4, "documented", False),  # gap 2
])


def test_status_per_requirement():
    s = scoring.with_status(CASE).set_index("req_id")
    assert list(s["status"]) == ["at target", "gap", "not assessed", "at target", "excluded", "gap"]
    assert s.loc["4.2", "gap"] == 2 and s.loc["A.2.2", "gap"] == -2
    assert pd.isna(s.loc["4.3", "gap"]) and pd.isna(s.loc["A.2.3", "gap"])


def test_overall_summary_by_hand():
    o = scoring.summary(scoring.with_status(CASE))
    assert o["applicable"] == 5 and o["excluded"] == 1
    assert o["assessed"] == 4 and o["not_assessed"] == 1
    assert o["assessed_pct"] == 80.0                  # 4 of 5 applicable
    assert o["readiness_pct"] == 40.0                 # 4.1 and A.2.2 of 5; not assessed is not ready
    assert o["avg_maturity"] == 2.75                  # (3+1+5+2)/4: the not-assessed one is not a zero
    assert o["open_gaps"] == 2
    assert o["stage2_pct"] == 20.0                    # at target with verified evidence: A.2.2 -> 1 of 5
    assert (o["stage2_verified"], o["documented_only"]) == (1, 1)   # 4.1 is documented only: Stage 1 evidence


def test_stage2_counts_only_verified_evidence():
    """Documented evidence (written down and approved) counts toward Stage 1, not Stage 2; a
    requirement below target never counts, whatever its evidence; excluded controls drop out."""
    case = frame([
        ("4.1", "clause", "4", True, 3, 3, "verified", False),     # counts
        ("4.2", "clause", "4", True, 4, 3, "documented", False),   # at target, documented only: no
        ("4.3", "clause", "4", True, 2, 3, "verified", False),     # verified but below target: no
        ("4.4", "clause", "4", True, None, 3, "verified", False),  # not assessed: no
        ("A.2.2", "control", "A.2", False, 5, 3, "verified", False),  # excluded: out of both sides
    ])
    o = scoring.summary(scoring.with_status(case))
    assert o["applicable"] == 4
    assert o["stage2_pct"] == 25.0                    # 1 of 4
    assert (o["stage2_verified"], o["documented_only"]) == (1, 1)
    upgraded = case.assign(evidence_strength=["verified", "verified", "verified", "verified", "verified"])
    assert scoring.summary(scoring.with_status(upgraded))["stage2_pct"] == 50.0    # 4.1 and 4.2 of 4


def test_excluded_control_drops_out_of_every_score():
    base = scoring.summary(scoring.with_status(CASE))
    rerated = CASE.copy()
    rerated.loc[rerated["req_id"] == "A.2.3", "maturity"] = 5
    assert scoring.summary(scoring.with_status(rerated)) == base


def test_nothing_assessed_is_zero_readiness_and_no_average():
    empty = CASE.assign(maturity=pd.array([None] * len(CASE), dtype="Int64"))
    o = scoring.summary(scoring.with_status(empty))
    assert o["readiness_pct"] == 0.0 and o["assessed_pct"] == 0.0
    assert o["avg_maturity"] is None


def test_empty_denominator_is_none_not_zero():
    only_excluded = CASE[CASE["req_id"] == "A.2.3"]
    o = scoring.summary(scoring.with_status(only_excluded))
    assert o["readiness_pct"] is None and o["stage2_pct"] is None


def test_group_scores_in_catalogue_order():
    g = scoring.by_group(CASE, "clause")
    assert list(g["group"]) == ["4"]
    assert g.iloc[0]["readiness_pct"] == 33.3         # 1 of 3
    a = scoring.by_group(CASE, "control").iloc[0]
    assert (a["applicable"], a["at_target"], a["readiness_pct"]) == (2, 1, 50.0)


def test_top_gaps_put_mandatory_documentation_first():
    df = frame([
        ("4.1", "clause", "4", True, 0, 4, "none", False),   # gap 4, not mandatory
        ("4.3", "clause", "4", True, 2, 3, "none", True),    # gap 1, mandatory
        ("5.2", "clause", "5", True, 1, 3, "none", True),    # gap 2, mandatory
        ("5.1", "clause", "5", True, None, 3, "none", True), # not assessed: not a gap
    ])
    assert list(scoring.top_gaps(df)["req_id"]) == ["5.2", "4.3", "4.1"]
