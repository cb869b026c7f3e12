"""A long thread: the values of thousands of handles are still found in every result that shows one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from guards import PrivacyFlow
from guards._index import _GRAMMED, _Needles
from guards._privacy_decl import source_of
from benchmarks.privacy.long_thread import read_client
from benchmarks.privacy.world import POLICY
from vfa import ToolSpec

_CHARS = st.sampled_from("ab1 ·«é0")


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(items=st.lists(st.text(_CHARS, max_size=6), min_size=1, max_size=40),
       text=st.text(_CHARS, max_size=30), split=st.integers(0, 40), gram=st.sampled_from([4, 2, 3, 5, 6]))
def test_needles_find_exactly_the_strings_a_text_holds(items, text, split, gram):
    # every string at once, and the same strings added in two steps, looked up by place, with keys of
    # any length (a string shorter than a key is found as surely as a longer one)
    import guards._index as index_module

    want = [i for i, s in enumerate(items) if s in text]
    saved = index_module._GRAMMED, index_module._GRAM
    index_module._GRAMMED = 0  # look up by place whatever the count (past `_GRAMMED` in real use)
    index_module._GRAM = gram
    try:
        whole = _Needles(tuple(items))
        grown = _Needles(tuple(items[:split]))
        grown.found_in("x" * (len(items) + 1))  # build its index before it grows
        grown = grown.extended(items[split:])
        assert whole.found_in(text) == want
        assert grown.found_in(text) == want
    finally:
        index_module._GRAMMED, index_module._GRAM = saved
    assert _Needles(tuple(items)).found_in(text) == want  # tested one by one


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(items=st.lists(st.text(_CHARS, max_size=6), min_size=1, max_size=30),
       other=st.lists(st.text(_CHARS, max_size=6), min_size=1, max_size=10),
       text=st.text(_CHARS, max_size=30), split=st.integers(0, 30), indexed=st.booleans())
def test_snapshots_of_one_line_each_find_their_own_strings(items, other, text, split, indexed):
    # a snapshot extended in place (the newest) and again from an older one (a branch): each finds
    # its own strings only, with their labels, whatever the others added to the shared line
    import guards._index as index_module

    from vfa import Label

    split = min(split, len(items))
    saved = index_module._GRAMMED
    index_module._GRAMMED = 0
    try:
        labels = [Label(sources=frozenset({f"s{i}"})) for i in range(len(items) + len(other))]
        base = _Needles(items[:split], labels[:split])
        if indexed:
            base.found_in("x" * (len(items) + len(other) + 1))  # its index exists before it grows
        newest = base.extended(items[split:], labels[split:len(items)])
        branch = base.extended(other, labels[len(items):])
        branch_labels = labels[:split] + labels[len(items):]
        for needles, strings, want in ((base, items[:split], labels), (newest, items, labels),
                                       (branch, items[:split] + other, branch_labels)):
            got = needles.found_in(text)
            assert got == [i for i, s in enumerate(strings) if s in text]
            assert len(needles) == len(strings) and list(needles.items) == strings
            assert [needles.label(i) for i in got] == [want[i] for i in got]
    finally:
        index_module._GRAMMED = saved


def test_a_result_showing_one_of_thousands_of_handled_values_is_hidden():
    flow = PrivacyFlow(POLICY, secret=b"vfa-long")
    decl = source_of(ToolSpec.of(read_client).meta)
    for k in range(1, 400):  # 798 handled values: looked up by place
        flow.record("t", f"c{k}", "read_client", decl, {
            "name": f"Client {k}", "ssn": f"{100000000 + k * 7919}", "note": f"private note {k:05d}"})
    assert len(flow._values_of("t")[0].items) > _GRAMMED
    ssn = str(100000000 + 123 * 7919)
    shown = flow.record("t", "echo", "echo", None, f"the number was {ssn}, as asked")
    assert "«" in shown.text and ssn not in shown.text  # shown as one handle: the value stays hidden
    plain = flow.record("t", "other", "echo", None, "nothing private here")
    assert plain.text == "nothing private here"


def test_values_read_in_clear_are_still_tracked_among_thousands():
    flow = PrivacyFlow(POLICY, secret=b"vfa-long", handles=False)  # as an audit reads them: in clear
    decl = source_of(ToolSpec.of(read_client).meta)
    for k in range(1, 300):
        flow.record("t", f"c{k}", "read_client", decl, {
            "name": f"Client {k}", "ssn": f"{100000000 + k * 7919}", "note": f"private note {k:05d}"})
    idx = flow._index("t", None)
    assert len(idx.tracked) > _GRAMMED and len(idx.digits) > _GRAMMED  # looked up by place
    ssn = str(100000000 + 77 * 7919)
    labels = flow.label_args({"body": f"his number is {ssn[:3]}-{ssn[3:5]}-{ssn[5:]}", "subject": "hello",
                              "to": f"x{ssn}"}, "t")
    assert labels["body"].readers is not None and "client" not in str(labels["subject"].sources)
    assert labels["body"].sources == labels["to"].sources  # the digits, and the value inside a word
    assert labels["subject"].readers is None  # nothing private in it
    # split across two arguments to one audience: found in their joined texts
    joined = flow.content_label([f"note {ssn[:4]}", f"{ssn[4:]} end"], "t")
    assert joined.readers is not None


def test_readers_racing_the_first_build_of_the_index_each_find_every_string():
    # the first reader to need the index builds it; readers meanwhile must never see it half built
    import sys
    import threading

    import guards._index as index_module

    items = [f"{100000000 + k * 7919}" for k in range(4000)]
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter can
    try:
        missed = 0
        for _ in range(5):
            needles = index_module._Needles(items)
            wanted = [7, 1999, 3998]
            texts = [f"the number was {items[i]}, as asked" for i in wanted]
            gate = threading.Barrier(6)
            found: list[list[int]] = []

            def read(text: str) -> None:
                gate.wait()
                found.append(needles.found_in(text))

            threads = [threading.Thread(target=read, args=(texts[k % 3],)) for k in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            missed += sum(1 for hits in found if not any(items[i] in t for i in hits for t in texts))
        assert missed == 0
    finally:
        sys.setswitchinterval(old)
