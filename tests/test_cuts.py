"""Values cut in two across two texts (`guards._cuts.Cuts`): exactly those a pair of texts holds
between the end of one and the start of the other, in time linear in the texts."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards._cuts import PIECE, Cuts

_TEXT = st.text(st.sampled_from("ab1·"), max_size=7)


def _cut_across(values: list[str], forms: list[str]) -> set[str]:
    """By brute force: every value that the end of one text and the start of another hold between them."""
    return {v for v in values for i, j in itertools.permutations(range(len(forms)), 2)
            for k in range(1, len(v)) if forms[i].endswith(v[:k]) and forms[j].startswith(v[k:])}


@settings(max_examples=400, deadline=None)
@given(values=st.lists(_TEXT, min_size=1, max_size=5), forms=st.lists(_TEXT, min_size=2, max_size=6),
       split=st.integers(0, 5))
def test_cuts_find_exactly_the_values_cut_across_two_texts(values, forms, split):
    grown = Cuts().extended(values[:split]).extended(values[split:])  # added in two steps: the same
    for cuts in (Cuts().extended(values), grown):
        found = cuts.across(forms)
        assert set(found) == _cut_across(values, forms)
        for value, (i, j) in found.items():  # each with two texts that hold it between them
            assert i != j and value in forms[i] + forms[j]


def test_cuts_of_words_fall_between_words():
    cuts = Cuts(words=True).extended(["shall we have lunch on friday"])
    assert cuts.across([["so", "shall", "we"], ["and", "then"], ["have", "lunch", "on", "friday", "ok"]]) == {
        "shall we have lunch on friday": (0, 2)}
    assert cuts.across([["so", "shall", "we", "ha"], ["ve", "lunch", "on", "friday"]]) == {}


def test_a_snapshot_is_not_changed_by_what_extends_it():
    first = Cuts().extended(["abcd"])
    first.extended(["wxyz"])
    assert first.across(["wx", "yz"]) == {} and first.across(["ab", "cd"]) == {"abcd": (0, 1)}


def test_a_value_is_found_cut_only_where_both_pieces_are_at_most_a_piece_long():
    value = "x" * PIECE + "y" * PIECE + "z"  # every cut leaves more than PIECE on one side
    assert Cuts().extended([value]).across([value[:PIECE], value[PIECE:]]) == {}
    value = "x" * PIECE + "y" * PIECE
    assert Cuts().extended([value]).across([value[:PIECE], value[PIECE:]]) == {value: (0, 1)}


def _flow_that_read_the_w2_and_inbox():
    from benchmarks.privacy.world import POLICY, World
    from guards import PrivacyFlow
    from guards._privacy_decl import source_of
    from vfa import ToolSpec

    world, flow = World(), PrivacyFlow(POLICY, handles=False)
    tools = {t.__name__: t for t in world.tools()}
    w2 = {"path": "tax/w2-2025.txt", "content": world.files["tax/w2-2025.txt"]["content"]}
    for i, (name, result) in enumerate([("read_file", w2), ("read_inbox", world.inbox)]):
        flow.record("T", f"c{i}", name, source_of(ToolSpec.of(tools[name]).meta), result)
    return flow, world


_FILLER = [f"room {n}" for n in range(2, 8)]  # texts with digits of their own between the pieces


@pytest.mark.parametrize("texts", [
    lambda ssn, mail: ["see", f"part {ssn[:6]}", *_FILLER, f"{ssn[6:]} end"],  # digits, far apart
    lambda ssn, mail: [f"{ssn[7:]} end", *_FILLER, f"part {ssn[:6]}"],  # digits, reversed
    lambda ssn, mail: [f"ref {ssn[:3]}", *_FILLER, f"{ssn[3:]}"],  # digits, cut elsewhere
    lambda ssn, mail: [" ".join(mail[:3]), *_FILLER, " ".join(mail[3:6])],  # six words of a mail
], ids=["digits", "digits-reversed", "digits-cut-elsewhere", "words"])
def test_a_value_cut_across_many_texts_is_labelled_and_counted(texts):
    import re

    flow, world = _flow_that_read_the_w2_and_inbox()
    ssn = re.search(r"\d{3}-\d{2}-\d{4}", world.files["tax/w2-2025.txt"]["content"]).group()
    mail = world.inbox[0]["body"].split()
    parts = texts(ssn, mail)
    assert len(parts) > 4  # past the texts joined every two: found by their cuts
    assert flow.content_label(parts, "T").readers is not None
    assert flow.content_label(["see", *_FILLER, "end"], "T").readers is None
    # what an approval covers counts the cut value too: more than the texts hold one by one
    one_by_one = frozenset().union(*(flow.values_in((), "T", [p]) for p in parts))
    assert flow.values_in((), "T", parts) - one_by_one


def test_the_cuts_threads_share_are_bounded(monkeypatch):
    import guards._flow as flow_module

    monkeypatch.setattr(flow_module, "_CUTS", {})
    monkeypatch.setattr(flow_module, "_cuts_held", [0])
    monkeypatch.setattr(flow_module, "_CUTS_KEPT", 10)
    for i, value in enumerate(["abcdef", "ghijkl", "mnopqr"]):  # five cuts each
        flow_module._share_cuts(("tracked", (value,)), Cuts().extended([value]))
    assert list(flow_module._CUTS) == [("tracked", ("ghijkl",)), ("tracked", ("mnopqr",))]
    assert flow_module._cuts_held[0] == 10
    flow_module._share_cuts(("tracked", ("x" * 20,)), Cuts().extended(["x" * 20]))  # larger than the bound
    assert len(flow_module._CUTS) == 2
