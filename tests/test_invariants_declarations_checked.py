"""Invariants and trace expressions take arguments of any kind and fail late, or check nothing.

- `Conserved("coins", tol=math.nan)` passes a run that mints coins: every drift compares `> nan` as false,
  so the invariant holds whatever happens (fail open). `tol=math.inf` does the same on purpose-looking
  input; a negative `tol` fails a run that is conserved (frame 0 against itself), and on `Monotonic` a
  negative `tol` refuses a correct non-strict run and lets a strict one stand still.
- `Bounds(None)`, `Monotonic(1)`, `NoContact(None)`, `state(None)`, `contact(None)` build; the mistake shows at
  the first run ("None is not in the trace") or as "__repr__ returned non-string" for `state(None)`.
- `state("hp", index="abc")` builds and fails at the first run with a TypeError from a comparison;
  `index=1.5` reads column 1, `index=True` column 1; `Bounds(lo="a")` is a TypeError from `<=`; `Bounds(lo=nan)`
  says "lo=nan is above hi=inf".
- a flag that is no bool (`decreasing="no"`) reads as true; a name that is no text breaks `repr`.

Each must be refused where it is written with a SceneError (the invariants' error for a declaration that cannot
be checked, as `Bounds(lo > hi)` and `After(within=...)` are) naming the argument.

Fixed: invariants, `state()` and `contact()` check their declarations where written (`SceneError`
naming the argument).
"""

from __future__ import annotations

import math

import pytest

from guards import After, Bounds, Conserved, Monotonic, NoContact, SceneError, Trace, check_trace, contact, state


def test_a_nan_tolerance_does_not_let_coins_be_minted():
    trace = {"coins_held": [1, 2, 3], "coins_on_map": [5, 5, 5]}  # three coins minted
    assert check_trace(trace, [Conserved("coins_held", "coins_on_map")])  # caught at the default tol
    with pytest.raises(SceneError, match="tol"):
        check_trace(trace, [Conserved("coins_held", "coins_on_map", tol=math.nan)])


@pytest.mark.parametrize("bad", [math.nan, math.inf, -1.0, "0.1", None, True])
@pytest.mark.parametrize("kind", [Conserved, Monotonic])
def test_a_tolerance_is_a_finite_number_at_least_zero(kind, bad):
    with pytest.raises(SceneError, match="tol"):
        kind("coins", tol=bad)


@pytest.mark.parametrize("good", [0, 0.5, 3])
def test_good_tolerances_still_build(good):
    assert check_trace({"c": [1, 1, 1]}, [Conserved("c", tol=good), Monotonic("c", tol=good)]) == []


@pytest.mark.parametrize("make", [
    lambda: Bounds(None), lambda: Bounds(1), lambda: Monotonic(None), lambda: Conserved(None),
    lambda: Conserved(["held", "on_map"]), lambda: NoContact(None), lambda: NoContact("player", 1),
    lambda: state(None), lambda: state(""), lambda: contact(None), lambda: contact("player", 2),
], ids=["Bounds(None)", "Bounds(1)", "Monotonic(None)", "Conserved(None)", "Conserved(list)", "NoContact(None)",
        "NoContact(a, 1)", "state(None)", "state('')", "contact(None)", "contact(a, 2)"])
def test_a_channel_is_named_by_text(make):
    with pytest.raises(SceneError, match="channel"):
        make()


@pytest.mark.parametrize("bad", ["abc", 1.5, True, -1, "1"])
def test_an_entity_index_is_a_whole_number_at_least_zero(bad):
    with pytest.raises(SceneError, match="index"):
        state("hp", index=bad)


def test_an_entity_index_still_picks_its_column():
    trace = {"hp": [[1, 5], [1, 4]]}
    assert check_trace(trace, [Monotonic("hp")])[0].entities == (1,)
    assert state("hp", 1).evaluate(Trace(trace)).tolist() == [5.0, 4.0]


@pytest.mark.parametrize("kw", [{"lo": "a"}, {"lo": math.nan}, {"hi": math.nan}, {"hi": None}])
def test_bounds_are_numbers(kw):
    with pytest.raises(SceneError, match=next(iter(kw))):
        Bounds("lives", **kw)


@pytest.mark.parametrize("make", [
    lambda: Monotonic("score", decreasing="no"), lambda: Monotonic("score", strict=None),
    lambda: NoContact("a", swept="no"), lambda: NoContact("a", touching=0),
    lambda: contact("a", swept="no"), lambda: After(state("x"), state("y"), within=1, open_end_fails="no"),
], ids=["decreasing", "strict", "swept", "touching", "contact swept", "open_end_fails"])
def test_a_flag_is_true_or_false(make):
    with pytest.raises(SceneError, match="True or False"):
        make()


@pytest.mark.parametrize("make", [lambda: Bounds("x", name=1), lambda: Monotonic("x", name=b"m"),
                                  lambda: NoContact("a", name=2)])
def test_a_name_is_text(make):
    with pytest.raises(SceneError, match="name"):
        make()
