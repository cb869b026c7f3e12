"""Bounded work over joins (red team 66): a long private value looked up only where a text can hold its
piece, searches of joins within a budget (fail closed past it), and one check's cut tests done once."""

from __future__ import annotations

import random

import pytest
from test_cuts import _orders_across, _vault_flow

import guards._cuts as cuts_module
import guards._index as index_module
import guards._joins as joins_module
from guards._cuts import PIECE, WHOLE, Cuts, TooManyCuts
from guards._index import _Index


def test_long_values_cut_across_long_texts_are_found_as_by_brute_force() -> None:
    rng = random.Random(7)
    for _ in range(30):
        values = ["".join(rng.choice("ab") for _ in range(rng.randint(WHOLE + 1, WHOLE + 300))) for _ in range(2)]
        value = rng.choice(values)
        cut = rng.randint(PIECE + 1, len(value) - PIECE - 1)  # both pieces longer than a piece: by `_middles`
        forms = ["x" + value[:cut], "y" * rng.randint(1, 5), value[cut:] + "z",
                 *("".join(rng.choice("ab") for _ in range(rng.randint(0, 2 * PIECE))) for _ in range(3))]
        found, _capped = Cuts().extended(values).across(forms, through=False)
        want = {v: {o for o in orders if len(o) == 2} for v, orders in _orders_across(values, forms).items()}
        assert {v: set(o) for v, o in found.items()} == {v: o for v, o in want.items() if o}
        assert (0, 2) in found[value]


def test_a_text_is_not_compared_with_pieces_longer_than_itself() -> None:
    value = "a" * 200_000
    cuts = Cuts().extended([value])
    compared: list[int] = []
    real = cuts_module._middles

    def counted(*args, **kwargs):
        for v, cut in real(*args, **kwargs):
            compared.append(cut)
            yield v, cut

    cuts_module._middles = counted
    try:
        cuts.across(["a" * 100] * 4)
    finally:
        cuts_module._middles = real
    # a first piece the text can end with, or a last piece it can start with: no longer than the text
    assert compared and all(cut <= 100 or len(value) - cut <= 100 for cut in compared)


def test_a_search_of_a_long_join_past_the_budget_takes_every_value_to_occur(monkeypatch) -> None:
    idx = _Index(tracked={"hunter2024": object(), "sunny7788": object()})  # type: ignore[dict-item]
    assert idx.tracked_in("nothing here") == []
    monkeypatch.setattr(index_module, "_SEARCH_BUDGET", 10)
    assert idx.tracked_in("nothing here") == ["hunter2024", "sunny7788"]  # fail closed


def test_joins_past_the_bound_are_labelled_uncut_and_no_approval_covers_them(monkeypatch) -> None:
    flow, _ = _vault_flow("Hunter2024x")
    texts = [f"harmless item {i}" for i in range(6)]
    assert flow.content_label(texts, "T").readers is None
    assert flow.values_in(texts, "T") == flow.values_in(texts, "T")  # nothing unbounded: the same values
    monkeypatch.setattr("guards._flow._JOINED", 10)
    monkeypatch.setattr("guards._flow._JOINED_NAMED", 10)
    assert "values-cut-past-bound" in flow.content_label(texts, "T").sources
    assert flow.values_in(texts, "T") != flow.values_in(texts, "T")  # unbounded: asked each time


def test_one_index_cuts_the_same_texts_once_and_a_bound_reached_once_is_reached_again(monkeypatch) -> None:
    flow, _ = _vault_flow("Hunter2024x")
    idx = flow._index("T", None)
    forms = ["hun", "ter", "2024x", "and", "so"]
    first = idx.cut_across("tracked", forms)
    assert idx.cut_across("tracked", list(forms)) is first
    calls: list[int] = []
    real = Cuts.across
    monkeypatch.setattr(joins_module, "_THROUGH", joins_module._THROUGH)
    monkeypatch.setattr(Cuts, "across", lambda self, f, through=True: calls.append(1) or real(self, f, through=through))
    monkeypatch.setattr(cuts_module, "VISITS", 1)
    other = [*forms, "more"]
    for _ in range(3):
        with pytest.raises(TooManyCuts):
            idx.cut_across("tracked", other)
    assert calls == [1]
