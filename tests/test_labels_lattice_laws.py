"""Red team 141: the label lattice (`vfa.Label.join` and the flow's shortcuts `_join`, `_join_all`,
`_join_many`) obeys its laws: join is commutative, associative and idempotent, public is its identity,
readers only shrink and sources only grow, trust only falls, and the shortcuts give the labels the
plain join gives (their caches keyed by identity never hand back another join's label)."""

from __future__ import annotations

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from guards._observation import _join, _join_all, _join_many
from vfa import PUBLIC, USER, Label

LAWS = settings(max_examples=400, derandomize=True, deadline=None, database=None)
NAMES = st.sampled_from(["me@home.example", "bob@x.example", "carol@y.example", "eve@z.example", "user"])
LABELS = st.one_of(
    st.just(PUBLIC), st.just(USER),
    st.builds(Label, readers=st.none() | st.frozensets(NAMES, max_size=4), sources=st.frozensets(NAMES, max_size=3),
              trusted=st.booleans()))


def _leq(a: Label, b: Label) -> bool:
    """a flows to b: b is read by no more, from no fewer sources, and trusted only if a is."""
    readers = b.readers is None and a.readers is None or (
        b.readers is not None and (a.readers is None or b.readers <= a.readers))
    return readers and a.sources <= b.sources and (a.trusted or not b.trusted)


@LAWS
@given(a=LABELS, b=LABELS, c=LABELS)
def test_join_is_commutative_associative_and_idempotent(a: Label, b: Label, c: Label) -> None:
    assert a.join(b) == b.join(a)
    assert a.join(b).join(c) == a.join(b.join(c))
    assert a.join(a) == a
    assert a.join(PUBLIC) == a == PUBLIC.join(a)


@LAWS
@given(a=LABELS, b=LABELS)
def test_join_only_restricts(a: Label, b: Label) -> None:
    j = a.join(b)
    assert _leq(a, j) and _leq(b, j)
    if j.readers is not None:  # readers only shrink: every reader of the join reads both
        assert all(a.readers is None or r in a.readers for r in j.readers)
        assert all(b.readers is None or r in b.readers for r in j.readers)
    assert j.sources == a.sources | b.sources and j.trusted == (a.trusted and b.trusted)
    for who in (["bob@x.example"], ["bob@x.example", "eve@z.example"], []):
        assert j.may_flow_to(who) == (a.may_flow_to(who) and b.may_flow_to(who))


@LAWS
@given(labels=st.lists(LABELS, max_size=6))
def test_the_flows_shortcuts_join_as_the_lattice_does(labels: list[Label]) -> None:
    want = reduce(Label.join, labels, PUBLIC)
    assert Label.join_all(labels) == want
    assert _join_all(labels) == want
    assert _join_many(tuple(labels)) == want
    assert _join_many(tuple(labels)) == want  # again, from its cache
    for a in labels:
        for b in labels:
            assert _join(a, b) == a.join(b) == _join(b, a)


@LAWS
@given(a=LABELS, b=LABELS)
def test_an_equal_label_built_apart_joins_alike(a: Label, b: Label) -> None:
    # the caches are keyed by identity: an equal copy must give the equal label, never a stale one
    a2, b2 = Label(readers=a.readers, sources=a.sources, trusted=a.trusted), Label(
        readers=b.readers, sources=b.sources, trusted=b.trusted)
    assert _join(a, b) == _join(a2, b2) == _join(a2, b) == _join(a, b2)
    assert _join_many((a, b, a2, b2)) == a.join(b)
