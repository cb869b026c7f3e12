"""Invariants over state traces: each kind against a pure-Python reference, conditional ones, the verifier."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from guards import (
    After, Always, Bounds, Conserved, Monotonic, NoContact, SceneError, Trace, TraceVerifier, While,
    check_trace, contact, state,
)
from vfa import Deny, GuardContext, Proposal

F = 20


def game_trace(**overrides):
    """A small platformer run: the player walks right into an obstacle at frame 14 and dies."""
    score = np.arange(F, dtype=float)
    alive = np.r_[np.ones(15), np.zeros(F - 15)]
    game_over = np.r_[np.zeros(17), np.ones(F - 17)]
    player = np.zeros((F, 1, 4))
    player[:, 0, 0] = np.arange(F)
    player[:, 0, 2] = np.arange(F) + 1
    player[:, 0, 3] = 1
    channels = dict(score=score, alive=alive, game_over=game_over, player=player,
                    obstacles=np.array([[[14.5, 0.0, 15.0, 1.0]]]), hp=np.ones((F, 3)))
    channels.update(overrides)
    return Trace(channels)


def test_correct_run_has_no_violation():
    trace = game_trace()
    assert check_trace(trace, [Monotonic("score"), Bounds("hp", 0, 1), Conserved("hp"),
                               Always(state("score") >= state("score").prev())]) == []


def test_monotonic_reports_first_frame_entity_and_values():
    hp = np.ones((F, 3))
    hp[7:, 2] = 2.0
    hp[9:, 1] = 0.5
    v = Monotonic("hp").first_violation(game_trace(hp=hp))
    assert (v.frame, v.entities, v.values) == (9, (1,), {"previous": 1.0, "previous_frame": 0, "value": 0.5, "tol": 0.0})
    assert Monotonic("hp", decreasing=True).first_violation(game_trace(hp=hp)).frame == 7


def test_bounds_conserved_and_nan_fails_closed():
    hp = np.ones((F, 3))
    hp[4, 0] = np.nan
    v = Bounds("hp", 0, 1).first_violation(game_trace(hp=hp))
    assert (v.frame, v.entities, v.values["value"]) == (4, (0,), "nan")
    json.dumps(v.to_evidence())
    hp = np.ones((F, 3))
    hp[6] = [0.5, 1.5, 1.0]  # moved, total kept
    hp[8] = [0.5, 1.5, 2.0]
    v = Conserved("hp").first_violation(game_trace(hp=hp))
    assert (v.frame, v.values["total"], v.values["initial"]) == (8, 4.0, 3.0)


def test_conditional_no_contact_while_alive_with_swept_time_of_impact():
    trace = game_trace()
    v = While(state("alive"), NoContact("player", "obstacles")).first_violation(trace)
    assert (v.frame, v.entities) == (13, (0, 0))
    assert v.time == pytest.approx(13.5)  # right edge 14 -> 15 meets x = 14.5 half-way
    assert v.values["point"] == [14.5, 0.5]
    # after death the player may overlap: masked out
    dead_overlap = game_trace(alive=np.r_[np.ones(10), np.zeros(F - 10)])
    assert While(state("alive"), NoContact("player", "obstacles")).first_violation(dead_overlap) is None


def test_after_collision_game_over_within_n_frames():
    trace = game_trace()
    late = After(contact("player", "obstacles"), state("game_over"), within=2)
    v = late.first_violation(trace)
    assert (v.frame, v.values["deadline"]) == (14, 16)
    assert After(contact("player", "obstacles"), state("game_over"), within=3).first_violation(trace) is None
    # a deadline beyond the end of the run is judged only with open_end_fails
    short = game_trace(game_over=np.zeros(F))
    assert After(contact("player", "obstacles"), state("game_over"), within=10).first_violation(short) is None
    assert After(contact("player", "obstacles"), state("game_over"), within=10,
                 open_end_fails=True).first_violation(short).frame == 14


def test_always_evidence_names_values():
    v = Always(state("alive") | state("game_over"), name="alive or over").first_violation(game_trace())
    assert v.frame == 15 and v.values == {"alive": 0.0, "game_over": 0.0}
    assert v.invariant == "alive or over"


def test_declaration_mistakes_are_clear():
    with pytest.raises(TypeError, match="truth value"):
        Always(0 <= state("score") <= 10)
    with pytest.raises(SceneError, match="not in the trace"):
        Monotonic("lives").first_violation(game_trace())
    with pytest.raises(SceneError, match="3 entities"):
        Always(state("hp") > 0).first_violation(game_trace())
    with pytest.raises(SceneError, match="frames"):
        Trace(score=np.zeros(3), alive=np.zeros(4))
    with pytest.raises(SceneError, match="non-finite"):
        Trace(score=np.zeros(2), player=np.full((2, 1, 4), np.nan))


def test_from_frames_and_trace_verifier_guard():
    rows = [{"score": s, "alive": True, "player": [[s, 0.0, s + 1.0, 1.0]]} for s in (0, 1, 2, 1)]
    trace = Trace.from_frames(rows)
    verifier = TraceVerifier([Monotonic("score"), Bounds("score", 0, 10)], tools=["playtest"])
    verdict = verifier.check(Proposal(call_id="p", tool="playtest", args={"trace": trace}), GuardContext())
    assert isinstance(verdict, Deny) and "frame 3" in verdict.reason
    assert verdict.evidence["violation"]["frame"] == 3
    json.dumps(verdict.evidence)
    ok = TraceVerifier([Bounds("score", 0, 10)]).check(Proposal(call_id="q", tool="t", args={"trace": trace}), GuardContext())
    assert ok.kind == "allow"


# -- differential: kernels against plain Python over random traces --------------------------------


def ref_first_decrease(x, strict, mask):
    """Each masked frame against the running max of the earlier masked frames (skipped frames skipped)."""
    best = None
    for f in range(len(x)):
        if not mask[f]:
            continue
        if best is not None:
            for c in range(x.shape[1]):
                d = x[f, c] - best[c]
                if not (d > 0 if strict else d >= 0):
                    return f, c
            best = np.maximum(best, x[f])
        else:
            best = x[f].copy()
    return None


def ref_deadline(trig, goal, within):
    for f in range(len(trig)):
        if trig[f] and f + within < len(trig) and not any(goal[f: f + within + 1]):
            return f
    return None


values = st.lists(st.integers(-3, 3), min_size=1, max_size=30)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(-3, 3), st.integers(-3, 3), st.booleans(), st.booleans(), st.booleans()),
                min_size=1, max_size=30), st.integers(0, 4), st.booleans())
def test_kernels_match_reference(rows, within, strict):
    x = np.array([[r[0], r[1]] for r in rows], dtype=float)
    alive = np.array([r[2] for r in rows])
    trig = np.array([r[3] for r in rows])
    goal = np.array([r[4] for r in rows])
    trace = Trace(x=x, alive=alive, trig=trig, goal=goal)
    v = While(state("alive"), Monotonic("x", strict=strict)).first_violation(trace)
    ref = ref_first_decrease(x, strict, alive)
    assert (None if v is None else (v.frame, v.entities[0])) == ref
    v = After(state("trig"), state("goal"), within=within).first_violation(trace)
    assert (None if v is None else v.frame) == ref_deadline(trig, goal, within)
    v = Bounds("x", -2, 2).first_violation(trace)
    out = [(f, c) for f in range(len(x)) for c in range(2) if not -2 <= x[f, c] <= 2]
    assert (None if v is None else (v.frame, v.entities[0])) == (out[0] if out else None)
    expr = (state("x", 0) + 2 * state("x", 1) > state("x", 0).prev()) | ~state("alive")
    got = expr.evaluate(trace)
    prev0 = np.r_[x[:1, 0], x[:-1, 0]]
    assert got.tolist() == (((x[:, 0] + 2 * x[:, 1]) > prev0) | ~alive).astype(float).tolist()


# -- review (issue 5): NaN fails closed through every operation ----------------------------------

_NAN = float("nan")


@pytest.mark.parametrize("expr, channels", [
    (lambda: state("alive") | state("game_over"), {"alive": [1, _NAN, 1], "game_over": [0, 0, 0]}),
    (lambda: state("game_over") | state("alive"), {"alive": [1, _NAN, 1], "game_over": [0, 0, 0]}),
    (lambda: state("alive") & state("ok"), {"alive": [1, _NAN, 1], "ok": [1, 1, 1]}),
    (lambda: ~(state("hp") < 0), {"hp": [1, _NAN, 1]}),
    (lambda: state("hp") != 0, {"hp": [1, _NAN, 1]}),
    (lambda: state("hp") == state("hp"), {"hp": [1, _NAN, 1]}),
    (lambda: (state("hp") > 0).implies(state("alive") > 0), {"hp": [1, _NAN, 1], "alive": [1, 0, 1]}),
    (lambda: state("x").min(state("y")) <= 10, {"x": [5, 5, 5], "y": [1, _NAN, 1]}),
    (lambda: state("x").max(state("y")) <= 10, {"x": [5, 5, 5], "y": [1, _NAN, 1]}),
    (lambda: state("y").max(state("x")) <= 10, {"x": [5, 5, 5], "y": [1, _NAN, 1]}),
    (lambda: state("y").min(100) >= 0, {"y": [1, _NAN, 1]}),
])
def test_nan_propagates_through_expressions(expr, channels):
    violations = check_trace(Trace(channels), [Always(expr())])
    assert len(violations) == 1 and violations[0].frame == 1, violations


def test_after_nan_trigger_fires():
    inv = After(state("hit"), state("over"), within=1)
    found = check_trace(Trace({"hit": [0, _NAN, 0, 0], "over": [0, 0, 0, 0]}), [inv])
    assert [v.frame for v in found] == [1]
    # a NaN goal does not meet the deadline either
    found = check_trace(Trace({"hit": [0, 1, 0, 0], "over": [0, _NAN, _NAN, 0]}), [inv])
    assert [v.frame for v in found] == [1]
    assert check_trace(Trace({"hit": [0, _NAN, 0, 0], "over": [0, 0, 1, 0]}), [inv]) == []


# -- review (issue 5): precision and masks ------------------------------------------------------


def test_integers_beyond_2_53_are_refused():
    for bad in ([2**53 + 1, 2**53], [-(2**53) - 1], [10**18, 10**18 + 100]):
        with pytest.raises(SceneError, match="2\\*\\*53"):
            Trace(x=np.array(bad, dtype=np.int64))
    Trace(x=np.array([2**53, -(2**53)], dtype=np.int64))  # exactly representable


def test_conserved_compensated_sum():
    # a unit lost next to two huge opposite terms: a plain float sum cannot see it
    trace = Trace(a=[1e20, 1e20], b=[1.0, 0.0], c=[-1e20, -1e20])
    v = Conserved("a", "b", "c").first_violation(trace)
    assert v is not None and v.frame == 1 and (v.values["total"], v.values["initial"]) == (0.0, 1.0)
    # moving value between large terms keeps the total: no violation from rounding
    trace = Trace(a=[1e20, 1e20 - 2**20], b=[0.1, 0.1], c=[-1e20, -1e20 + 2**20])
    assert Conserved("a", "b", "c").first_violation(trace) is None
    rng = np.random.default_rng(1)
    coins = rng.normal(0, 1e6, (50, 40))
    coins -= coins.sum(axis=1, keepdims=True) / 40  # each row sums to about 0
    coins[:, 0] -= [math.fsum(r) for r in coins]  # ... and now to 0 within rounding
    assert Conserved("x").first_violation(Trace(x=coins)) is None


def test_monotonic_tolerance_is_total_not_per_step():
    score = 100 - 0.01 * np.arange(1101)
    v = Monotonic("score", tol=0.011).first_violation(Trace(score=score))
    assert v is not None and v.frame == 2
    assert Monotonic("score", tol=0.5).first_violation(Trace(score=100 - 0.01 * np.arange(40))) is None
    assert Monotonic("score", tol=0.5).first_violation(Trace(score=100 - 0.01 * np.arange(60))).frame == 51


def test_monotonic_compares_with_previous_masked_frame():
    trace = Trace(alive=[1, 0, 1, 0, 1], score=[10, 10, 5, 5, 1])
    v = While(state("alive") > 0, Monotonic("score")).first_violation(trace)
    assert v is not None and v.frame == 2 and v.values["previous_frame"] == 0


def _tunnel_trace(**channels):
    """A box that jumps over a thin wall between frames 1 and 2 (never overlapping it at a frame)."""
    mover = np.array([[[0, 0, 1, 1]], [[2, 0, 3, 1]], [[20, 0, 21, 1]], [[22, 0, 23, 1]]], float)
    wall = np.array([[[10, -5, 11, 5]]], float)
    return Trace(dict(p=mover, w=wall, **channels))


def test_while_swept_step_is_judged_when_condition_holds_at_either_end():
    # alive is 0 at frame 1 but 1 at frame 2: the tunnel during step 1 -> 2 still counts
    for alive in ([1, 0, 1, 1], [0, 1, 0, 0]):
        v = While(state("alive") > 0, NoContact("p", "w")).first_violation(_tunnel_trace(alive=alive))
        assert v is not None and v.frame == 1 and v.time == pytest.approx(1 + 7 / 18), alive
    # condition false at both ends of the step: masked out
    assert While(state("alive") > 0, NoContact("p", "w")).first_violation(
        _tunnel_trace(alive=[1, 0, 0, 1])) is None
    # a discrete NoContact keeps the per-frame mask (and sees no overlap at any frame anyway)
    assert While(state("alive") > 0, NoContact("p", "w", swept=False)).first_violation(
        _tunnel_trace(alive=[1, 0, 1, 1])) is None


def test_expression_contact_is_swept_by_default_and_charged_to_the_later_frame():
    trace = _tunnel_trace(over=[0, 0, 0, 0])
    v = After(contact("p", "w"), state("over"), within=0).first_violation(trace)
    assert v is not None and v.frame == 2  # the step 1 -> 2 is charged to frame 2
    assert After(contact("p", "w"), state("over"), within=0).first_violation(
        _tunnel_trace(over=[0, 0, 1, 1])) is None
    assert After(contact("p", "w", swept=False), state("over"), within=0).first_violation(trace) is None
    flags = [contact("p", "w").evaluate(trace), contact("p", "w", swept=False).evaluate(trace)]
    assert [list(f) for f in flags] == [[0, 0, 1, 0], [0, 0, 0, 0]]
    # an overlap at frame 0 is seen at frame 0 (no step precedes it)
    still = Trace(dict(p=np.array([[[10, 0, 11, 1]], [[30, 0, 31, 1]]], float), w=np.array([[[10, -5, 11, 5]]], float)))
    assert list(contact("p", "w").evaluate(still)) == [1, 1]
    assert list(contact("p", "w", swept=False).evaluate(still)) == [1, 0]
