"""Values cut across texts (`guards._cuts.Cuts`): exactly those that texts hold between them, the end
of one, a whole text or none, and the start of another, in time linear in the texts."""

from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guards._cuts import PAIRS, PIECE, WHOLE, Cuts

_TEXT = st.text(st.sampled_from("ab1·"), max_size=7)


def _orders_across(values: list[str], forms: list[str]) -> dict[str, set[tuple[int, ...]]]:
    """By brute force: the orders of two or three distinct texts each value is cut across (its first
    piece at the end of the first text, the whole middle text as the piece between, the rest at the
    start of the last)."""
    out: dict[str, set[tuple[int, ...]]] = {}

    def on(v: str, order: tuple[int, ...], at: int) -> None:
        for j, form in enumerate(forms):
            if j in order:
                continue
            if form.startswith(v[at:]):
                out.setdefault(v, set()).add((*order, j))
            if len(order) == 1 and form and at + len(form) < len(v) and v[at:at + len(form)] == form:
                on(v, (*order, j), at + len(form))

    for v in values:
        for i, form in enumerate(forms):
            for k in range(1, len(v)):
                if form.endswith(v[:k]):
                    on(v, (i,), k)
    return out


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(values=st.lists(_TEXT, min_size=1, max_size=5), forms=st.lists(_TEXT, min_size=2, max_size=6),
       split=st.integers(0, 5))
def test_cuts_find_exactly_the_values_cut_across_texts(values, forms, split):
    grown = Cuts().extended(values[:split]).extended(values[split:])  # added in two steps: the same
    want = _orders_across(values, forms)
    for cuts in (Cuts().extended(values), grown):
        found, capped = cuts.across(forms)
        assert set(found) == set(want)
        for value, orders in found.items():  # every order, up to PAIRS of them (and said so past that)
            assert set(orders) <= want[value] and len(set(orders)) == len(orders)
            if not capped:
                assert set(orders) == want[value]
            else:
                assert len(orders) <= PAIRS
        if any(len(o) > PAIRS for o in want.values()):
            assert capped


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=st.text(st.sampled_from("0123456789"), min_size=6, max_size=12), data=st.data())
def test_a_value_cut_into_two_or_three_pieces_in_any_order_is_found(value, data):
    # the pieces, shuffled among other texts: the value is found, and its order of texts listed
    cuts = sorted(data.draw(st.sets(st.integers(1, len(value) - 1), min_size=1, max_size=2)))
    pieces = [value[a:b] for a, b in zip([0, *cuts], [*cuts, len(value)])]
    others = data.draw(st.lists(st.text(st.sampled_from("xy"), min_size=1, max_size=3), max_size=4))
    forms = [*pieces, *others]
    order = data.draw(st.permutations(range(len(forms))))
    shuffled = [forms[i] for i in order]
    where = tuple(order.index(i) for i in range(len(pieces)))  # the place of each piece among the texts
    found, capped = Cuts().extended([value]).across(shuffled)
    assert value in found and (capped or where in found[value])


def test_a_value_is_followed_through_one_whole_text_only():
    # a numbered list holds every digit token piece by piece: four pieces are not followed, nor any
    # piece without `through`
    cuts = Cuts().extended(["123456789"])
    assert cuts.across(["x12", "345", "6789"])[0] == {"123456789": [(0, 1, 2)]}
    assert cuts.across(["x12", "345", "6789"], through=False)[0] == {}
    assert cuts.across(["x12", "34", "5", "6789"])[0] == {}
    assert cuts.across([str(i) for i in range(1, 17)])[0] == {}


def test_cuts_of_words_fall_between_words():
    cuts = Cuts(words=True).extended(["shall we have lunch on friday"])
    assert cuts.across([["so", "shall", "we"], ["and", "then"], ["have", "lunch", "on", "friday", "ok"]])[0] == {
        "shall we have lunch on friday": [(0, 2)]}
    assert cuts.across([["so", "shall", "we", "ha"], ["ve", "lunch", "on", "friday"]])[0] == {}


def test_a_snapshot_is_not_changed_by_what_extends_it():
    first = Cuts().extended(["abcd"])
    first.extended(["wxyz"])
    assert first.across(["wx", "yz"])[0] == {} and first.across(["ab", "cd"])[0] == {"abcd": [(0, 1)]}


@pytest.mark.parametrize("length,cut,found", [
    (100, 20, True), (100, 50, True), (100, 99, True),  # every cut of a value up to WHOLE long
    (WHOLE, PIECE + 1, True),
    (600, 30, True), (600, 570, True),  # longer: the cuts with a short piece are indexed
    (600, 300, True), (2000, 999, True),  # the others found by looking the texts' ends up in it
], ids=lambda x: str(x))
def test_a_long_one_word_value_is_found_cut_anywhere(length, cut, found):
    value = "".join(chr(ord("a") + (i * 7) % 26) for i in range(length))  # an API key, say
    forms = ["note", value[:cut], "x", "y", "z", value[cut:]]
    assert (value in Cuts().extended([value]).across(forms)[0]) is found
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
    assert len(parts) > 3  # past the texts joined in every order: found by their cuts
    assert flow.content_label(parts, "T").readers is not None
    assert flow.content_label(["see", *_FILLER, "end"], "T").readers is None
    # what an approval covers counts the cut value too: more than the texts hold one by one
    one_by_one = frozenset().union(*(flow.values_in((), "T", [p]) for p in parts))
    assert flow.values_in((), "T", parts) - one_by_one


@pytest.mark.parametrize("junk,found", [
    (["-"] * 40, True),  # texts with no letter or digit count toward no bound
    ([f"room {n}" for n in range(13)], True),  # sixteen texts with digits: the middle piece is followed
    ([f"room {n}" for n in range(14)], False),  # seventeen: a value cut in three among them is missed
], ids=["punctuation", "sixteen", "seventeen"])
def test_a_value_cut_in_three_is_sought_among_at_most_sixteen_texts(junk, found):
    import re

    flow, world = _flow_that_read_the_w2_and_inbox()
    ssn = re.search(r"\d{3}-\d{2}-\d{4}", world.files["tax/w2-2025.txt"]["content"]).group()
    parts = [f"x {ssn[4:6]}", *junk, f"part {ssn[:3]}", f"then {ssn[7:]}"]  # the middle first
    assert (flow.content_label(parts, "T").readers is not None) == found


def test_the_cuts_threads_share_are_bounded(monkeypatch):
    import guards._index as index_module

    monkeypatch.setattr(index_module, "_CUTS", {})
    monkeypatch.setattr(index_module, "_cuts_held", [0])
    monkeypatch.setattr(index_module, "_CUTS_KEPT", 10)
    for i, value in enumerate(["abcdef", "ghijkl", "mnopqr"]):  # five cuts each
        index_module._share_cuts(("tracked", (value,)), Cuts().extended([value]))
    assert list(index_module._CUTS) == [("tracked", ("ghijkl",)), ("tracked", ("mnopqr",))]
    assert index_module._cuts_held[0] == 10
    index_module._share_cuts(("tracked", ("x" * 20,)), Cuts().extended(["x" * 20]))  # larger than the bound
    assert len(index_module._CUTS) == 2


def _vault_flow(*secrets: str):
    from benchmarks.privacy.world import POLICY
    from guards import PrivacyFlow, privacy_source
    from guards._privacy_decl import source_of
    from vfa import ToolSpec

    @privacy_source(private=["password"], kind="vault", handle=False)
    def list_secrets() -> list:
        """Saved passwords."""
        return []

    flow, decl = PrivacyFlow(POLICY, handles=False, secret=b"x"), source_of(ToolSpec.of(list_secrets).meta)
    for i, secret in enumerate(secrets):
        flow.record("T", f"c{i}", "list_secrets", decl, [{"password": secret}])
    return flow, lambda secret, call: flow.record("T", call, "list_secrets", decl, [{"password": secret}])


def test_a_value_recorded_after_the_cuts_were_built_is_cut_too():
    flow, record = _vault_flow("Hunter2024x")
    between = ["and", "so", "on", "then"]
    assert flow.content_label(["Hun", *between, "ter2024x"], "T").readers is not None  # cuts built
    record("Sunny7788q", "c9")
    assert flow.content_label(["Sun", *between, "ny7788q"], "T").readers is not None


def test_a_long_one_word_secret_cut_in_the_middle_is_found_around_few_or_many_texts():
    key = "".join(chr(ord("a") + (i * 7) % 26) for i in range(2 * WHOLE))  # a session token, say
    flow, _ = _vault_flow(key)
    half = len(key) // 2
    for between in (["and"], ["and", "so", "on"]):  # joined in every order / found by its cuts
        texts = [key[:half], *between, key[half:]]
        assert flow.content_label(texts, "T").readers is not None
        assert flow.values_in((), "T", texts)  # and named, for what an approval covers


def test_each_spelling_of_a_value_cut_across_texts_is_counted():
    flow, _ = _vault_flow("Hunter2024x")
    approved = flow.values_in((), "T", ["bank", "Hun", "ter2024x"])
    again = flow.values_in((), "T", ["bank", "Hun", "ter2024x", "z", "HUNT", "z", "ER2024X"])
    assert len(again) == 2 and not again <= approved  # the other spelling is another value: not covered


def test_past_the_bound_on_tests_few_texts_are_joined_in_twos_and_threes_and_many_fail_closed(monkeypatch):
    import guards._cuts as cuts_module

    flow, _ = _vault_flow("Hunter2024x")
    few, many = ["Hun", "and", "so", "on", "ter2024x"], ["Hun", *(["and"] * 40), "ter2024x"]
    three = ["2024x", *(["and"] * 20), "Hun", "ter"]  # cut in three among more texts than are joined in threes
    monkeypatch.setattr(cuts_module, "VISITS", 0)  # the first entry tested is one too many
    for texts in (few, ["2024x", "and", "Hun", "so", "ter"]):  # every two, and every three, are joined
        lbl = flow.content_label(texts, "T")
        assert lbl.readers is not None and "values-cut-past-bound" not in lbl.sources
        assert flow.values_in((), "T", texts) == flow.values_in((), "T", texts)  # named: an approval may cover it
    assert flow.content_label(three, "T").readers is None  # missed (documented)
    lbl = flow.content_label(many, "T")
    assert lbl.readers == frozenset() and "values-cut-past-bound" in lbl.sources  # the user's alone
    assert not flow.values_in((), "T", many) <= flow.values_in((), "T", many)  # unbounded: asked each time


def test_a_run_many_private_texts_repeat_is_found_cut_across_texts():
    from benchmarks.privacy.world import POLICY
    from guards import PrivacyFlow, privacy_source
    from guards._privacy_decl import source_of
    from vfa import ToolSpec

    @privacy_source(private=["body"], handle=False, kind="mail")
    def read_mail() -> dict:
        """A mail."""
        return {}

    flow = PrivacyFlow(POLICY, handles=False)
    for i in range(20):  # a quoted reply chain: every mail repeats the same sentence
        flow.record("T", f"c{i}", "read_mail", source_of(ToolSpec.of(read_mail).meta),
                    {"body": f"reply {i}: the merger closes on friday quietly and the merger"})
    texts = ["hello", "closes on friday quietly and the merger", "x", "y", "see you the merger"]
    assert flow.content_label(texts, "T").readers is not None


def test_a_value_cut_across_more_pairs_than_are_listed_is_unbounded():
    flow, _ = _vault_flow("Hunter2024x")
    texts = [t for _ in range(PAIRS + 1) for t in ("Hun", "z", "ter2024x", "z")]
    assert not flow.values_in((), "T", texts) <= flow.values_in((), "T", texts)  # asked each time


def test_a_violation_that_names_no_value_is_covered_by_no_approval():
    from guards._privacy import _UNKNOWN, PrivacyGuard

    assert not _UNKNOWN <= frozenset() and not _UNKNOWN <= frozenset({"#0123456789abcdef"})
    flow, _ = _vault_flow("Hunter2024x")
    guard = PrivacyGuard(flow)
    from vfa import Proposal

    from guards._privacy_decl import Sink

    proposal = Proposal(call_id="c", tool="t", args={"body": "nothing named"}, thread_id="T")
    found = [type("V", (), {"rule": "confidentiality", "recipients": ("bob@x.example",), "across": False})()]
    values = guard._values(proposal, Sink(disclose={"body": "*"}), found)
    assert values["bob@x.example"] == _UNKNOWN  # not an empty set, which every approval would cover


def test_looking_texts_up_in_long_values_counts_toward_the_bound(monkeypatch):
    import guards._cuts as cuts_module

    key = "".join(chr(ord("a") + (i * 7) % 26) for i in range(2 * WHOLE))
    flow, _ = _vault_flow(key)
    texts = [f"a harmless line of text number {i} " * 3 for i in range(40)]  # longer than a piece: looked up
    assert flow.content_label(texts, "T").readers is None
    monkeypatch.setattr(cuts_module, "VISITS", 10)
    flow, _ = _vault_flow(key)  # a new index: the first one keeps its answer for these texts
    assert "values-cut-past-bound" in flow.content_label(texts, "T").sources
