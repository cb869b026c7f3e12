"""What a privacy flow keeps per thread, and what it drops: never a label the thread earned (a dropped
thread is rebuilt from everything the journal has), never a thread a call or a turn is using, and no
state that grows without bound."""

from __future__ import annotations

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow, privacy_source
from guards._privacy_decl import source_of
from vfa import ALLOW, Agent, EffectJournal, ToolSpec, guard
from vfa.testing import ScriptedModel

SSN = "078-05-1120"


@privacy_source(private=["ssn"], handle=False, kind="profile")  # read in clear, tracked by value
def get_tax_id() -> dict:
    """The user's SSN."""
    return {"ssn": SSN}


@privacy_source()
def weather() -> str:
    """Today's weather."""
    return "sunny"


def _decl(fn):
    return source_of(ToolSpec.of(fn).meta)


def test_a_filtered_index_never_stands_for_the_whole_thread():
    # two calls showing the same text share one observation: an index of them alone must not be
    # taken for the start of the thread's (which begins with the SSN)
    flow = PrivacyFlow(POLICY, handles=False)
    flow.record("t", "c1", "get_tax_id", _decl(get_tax_id), {"ssn": SSN})
    flow.record("t", "c2", "weather", _decl(weather), "sunny, 21 degrees")
    flow.record("t", "c3", "weather", _decl(weather), "sunny, 21 degrees")
    assert flow._obs[("t", "c2")] is flow._obs[("t", "c3")]
    assert flow.label_args({"body": "hello"}, "t", calls={"c2", "c3"})["body"].readers is None
    assert flow.label_args({"body": f"her SSN is {SSN}"}, "t")["body"].readers is not None


def test_a_dropped_thread_is_rebuilt_from_every_result_on_record_trimmed_ones_too():
    def label_after(dropped: bool):
        journal = EffectJournal()
        flow = PrivacyFlow(POLICY, journal=journal, max_threads=1)
        spec = ToolSpec.of(get_tax_id)
        flow.bind({spec.name: spec}, journal)
        journal.append([("T", "c1", "get_tax_id", "proposed", {"args": {}}),
                        ("T", "c1", "get_tax_id", "ran", {"result": {"ssn": SSN}})])
        flow.record("T", "c1", "get_tax_id", _decl(get_tax_id), {"ssn": SSN})
        if dropped:  # another conversation shows a result: T, idle, is dropped
            flow.record("U", "u1", "weather", _decl(weather), "rain")
            assert "T" not in flow._thread_calls
        # T goes on with its history trimmed: the message of c1 is gone from the state
        state = {"messages": [HumanMessage("mail my brother"),
                              AIMessage("", tool_calls=[{"id": "c2", "name": "send_email", "args": {}}])]}
        return flow.label({"name": "send_email", "args": {"body": f"SSN {SSN}"}, "id": "c2"}, state, "T")["body"]

    kept, rebuilt = label_after(False), label_after(True)
    assert kept.readers is not None and rebuilt.readers == kept.readers and rebuilt.sources == kept.sources


def test_a_turn_keeps_its_thread_between_its_calls():
    # the turn's second call shows the value the first one handed out as a handle: hidden as one handle
    # even when another conversation's running call pushes the flow over max_threads meanwhile
    def read_w2(other_call_running: bool) -> str:
        flow = PrivacyFlow(POLICY, secret=b"k", max_threads=1)
        model = ScriptedModel([[("get_profile", {}), ("read_file", {"path": "tax/w2-2025.txt"})], "done"])
        app = Agent(model, World.tools(World()), guards=[flow.guard()], flow=flow).compile()
        if other_call_running:
            flow.hold("other")
            flow.record("other", "o1", "list_contacts", None, [])
        out = app.invoke({"messages": [HumanMessage("my tax data")]}, {"configurable": {"thread_id": "T"}})
        if other_call_running:
            flow.release("other")
        return next(m.content for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "read_file")

    alone, together = read_w2(False), read_w2(True)
    assert SSN not in alone and SSN not in together and together.startswith("«read_file:")


def test_forget_during_a_call_waits_for_it():
    # a value split across subject and body is found in their joined texts: the thread's index must
    # still be there when the guard joins them, whatever forgets the thread meanwhile
    flow = PrivacyFlow(POLICY, secret=b"k")

    @guard(inline=True)
    def forget_now(proposal, context):
        if proposal.tool == "send_email":
            flow.forget(proposal.thread_id)  # an admin's "forget this conversation", racing the call
        return ALLOW

    world = World()
    script = [("get_tax_id", {}), ("send_email", {"to": ["bob@family.example"], "subject": "id 078-05",
                                                  "body": "1120 thanks"}), "done"]
    app = Agent(ScriptedModel(script), [get_tax_id, *World.tools(world)], guards=[forget_now, flow.guard()],
                flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("send bob my id")]}, {"configurable": {"thread_id": "T"}})
    sent = next(m for m in out["messages"] if isinstance(m, ToolMessage) and m.name == "send_email")
    assert sent.artifact["vfa"]["outcome"] == "denied" and world.sent == []
    assert "T" not in flow._thread_calls and not flow._held  # forgotten once the call was done


def test_threads_that_never_show_a_result_leave_nothing_behind():
    flow = PrivacyFlow(POLICY, journal=EffectJournal(), max_threads=8)
    for k in range(2000):  # one-shot conversations whose only call is denied
        flow.label({"name": "send_email", "args": {"to": ["x@y.example"], "body": "hi"}, "id": "c"}, {}, f"t{k}")
        flow.label({"name": "send_email", "args": {"body": "hi"}, "id": "c"},
                   {"messages": [HumanMessage("hi")]}, f"u{k}")
    assert not flow._indexes and len(flow._unrecorded) <= 8 and len(flow._scans) <= 64


@privacy_source(private=["ssn"], kind="client")
def read_client() -> dict:
    """A client's record."""
    return {}


def test_a_record_read_again_and_again_keeps_a_label_of_its_own_size():
    # a poll: from the second read on the result shows an earlier handle's value and is shown as one
    # handle, derived from what the first read was, never from every earlier poll
    flow = PrivacyFlow(POLICY, secret=b"k")
    for k in range(1, 301):
        shown = flow.record("t", f"c{k}", "read_client", _decl(read_client), {"name": "Client", "ssn": "000-00-0000"})
    assert shown.text.startswith("«read_client:")
    last = flow.store.of_thread("t")[-1].label
    assert last.sources == {"tool:read_client", "derived:read_client#c300", "derived-from:client.ssn"}
    assert last.readers == flow.store.of_thread("t")[0].label.readers  # the record's readers, kept


# -- rebuilding a thread from the journal -------------------------------------------------------

_RESULTS = [("T", "c1", "get_tax_id", "proposed", {"args": {}}), ("T", "c1", "get_tax_id", "ran", {"result": {"ssn": SSN}}),
            ("T", "c2", "get_tax_id", "proposed", {"args": {}}), ("T", "c2", "get_tax_id", "ran", {"result": {}})]
# c1's message (the SSN, in clear) was trimmed from the state; c2's is still there
_TRIMMED = {"messages": [HumanMessage("mail my brother"),
                         AIMessage("", tool_calls=[{"id": "c2", "name": "get_tax_id", "args": {}}]),
                         ToolMessage("{}", tool_call_id="c2", name="get_tax_id"),
                         AIMessage("", tool_calls=[{"id": "c3", "name": "send_email", "args": {}}])]}
_SEND = {"name": "send_email", "args": {"body": f"SSN {SSN}"}, "id": "c3"}


def _flow_on(journal) -> PrivacyFlow:
    flow = PrivacyFlow(POLICY, journal=journal)
    spec = ToolSpec.of(get_tax_id)
    flow.bind({spec.name: spec}, journal)
    return flow


def test_a_thread_first_labelled_before_anything_was_on_record_takes_what_is_recorded_later():
    # another replica served the thread meanwhile (on the shared journal): its results count here too
    journal = EffectJournal()
    flow = _flow_on(journal)
    early = {"messages": [HumanMessage("hi"), AIMessage("", tool_calls=[{"id": "c0", "name": "get_tax_id", "args": {}}])]}
    flow.label({"name": "get_tax_id", "args": {"x": "1"}, "id": "c0"}, early, "T")
    journal.append(_RESULTS)
    assert flow.label(_SEND, _TRIMMED, "T")["body"].readers is not None


def test_a_replica_s_results_count_on_a_thread_this_flow_saw_nothing_of(tmp_path):
    # another replica (its own connection to the journal file) served the thread, and the messages
    # that showed its results were trimmed: the journal, asked again, has them
    here, replica = EffectJournal(tmp_path / "j.db"), EffectJournal(tmp_path / "j.db")
    flow = _flow_on(here)
    early = {"messages": [HumanMessage("hi"), AIMessage("", tool_calls=[{"id": "c0", "name": "get_tax_id", "args": {}}])]}
    assert flow.label({"name": "get_tax_id", "args": {"x": "1"}, "id": "c0"}, early, "T")["x"].readers is None
    replica.append(_RESULTS)
    none_shown = {"messages": [HumanMessage("mail my brother"),
                               AIMessage("", tool_calls=[{"id": "c3", "name": "send_email", "args": {}}])]}
    assert flow.label(_SEND, none_shown, "T")["body"].readers is not None


_SHOWN = {"messages": [HumanMessage("hi"), AIMessage("", tool_calls=[{"id": "c0", "name": "weather", "args": {}}]),
                       ToolMessage("rain", tool_call_id="c0", name="weather"),
                       AIMessage("", tool_calls=[{"id": "c3", "name": "send_email", "args": {}}])]}
# T showed a harmless result here; the SSN another writer recorded later is in no message


def _serving_t(journal, raw=None) -> PrivacyFlow:
    """A flow that showed T's harmless result and labelled a call after it (nothing private yet)."""
    flow = _flow_on(journal)
    spec = ToolSpec.of(weather)
    flow.bind({spec.name: spec}, journal)
    (raw or journal).append([("T", "c0", "weather", "proposed", {"args": {}}),
                             ("T", "c0", "weather", "ran", {"result": "rain"})])
    flow.record("T", "c0", "weather", _decl(weather), "rain")
    assert flow.label(_SEND, _SHOWN, "T")["body"].readers is None
    return flow


def test_a_replica_s_later_result_counts_though_its_message_was_trimmed(tmp_path):
    # another replica serves T's next turn and reads the SSN; its message is trimmed before T comes
    # back here: the journal says T moved elsewhere, and the thread is read again, once
    here, replica = EffectJournal(tmp_path / "j.db"), EffectJournal(tmp_path / "j.db")
    flow = _serving_t(here)
    replica.append(_RESULTS)
    reads, entries = [], here.entries
    here.entries = lambda *a, **k: reads.append(a) or entries(*a, **k)
    for _ in range(3):
        assert flow.label(_SEND, _SHOWN, "T")["body"].readers is not None
    assert len(reads) == 1  # read again once, not at every label


@pytest.mark.parametrize("where", ["file", "memory"])
def test_two_flows_on_one_journal_object_see_each_other_s_results(tmp_path, where):
    # two agents in one process, each with its own flow, one journal object: the other flow's guard
    # node records the SSN through the same connection
    journal = EffectJournal(tmp_path / "j.db" if where == "file" else ":memory:")
    flow = _serving_t(journal)
    other = _flow_on(journal)  # the other agent's flow
    journal.append(_RESULTS)
    assert flow.label(_SEND, _SHOWN, "T")["body"].readers is not None and other.journal is journal


class _Wrapped:
    """A journal wrapper that shows entries only: it cannot tell whether others wrote."""

    def __init__(self, journal: EffectJournal) -> None:
        self.journal = journal

    def entries(self, *args, **kwargs):
        return self.journal.entries(*args, **kwargs)


def test_a_journal_that_cannot_tell_of_other_writers_is_read_at_every_label(tmp_path):
    here, replica = EffectJournal(tmp_path / "j.db"), EffectJournal(tmp_path / "j.db")
    flow = _serving_t(_Wrapped(here), here)
    replica.append(_RESULTS)
    assert flow.label(_SEND, _SHOWN, "T")["body"].readers is not None


def test_a_rebuild_that_failed_part_way_is_done_again(tmp_path, monkeypatch):
    # another replica served T (a harmless result, then the SSN), every message was trimmed, and this
    # flow's first restore fails on its first result: the next label must read the thread again
    replica = EffectJournal(tmp_path / "j.db")
    replica.append([("T", "c0", "get_tax_id", "proposed", {"args": {}}), ("T", "c0", "get_tax_id", "ran", {"result": {}}),
                    ("T", "c1", "get_tax_id", "proposed", {"args": {}}),
                    ("T", "c1", "get_tax_id", "ran", {"result": {"ssn": SSN}})])
    flow = _flow_on(EffectJournal(tmp_path / "j.db"))  # this process restarted
    record, calls = PrivacyFlow.record, []

    def fails_once(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise RuntimeError("transient failure")
        return record(self, *args, **kwargs)

    monkeypatch.setattr(PrivacyFlow, "record", fails_once)
    trimmed = {"messages": [HumanMessage("mail my brother"),
                            AIMessage("", tool_calls=[{"id": "c3", "name": "send_email", "args": {}}])]}
    with pytest.raises(RuntimeError):
        flow.label(_SEND, trimmed, "T")  # the guard node denies this call (fail closed)
    assert flow.label(_SEND, trimmed, "T")["body"].readers is not None


class _FailsOnce:
    """A journal whose first read fails (a locked database)."""

    def __init__(self, journal: EffectJournal) -> None:
        self.journal, self.failed = journal, False

    def entries(self, *args, **kwargs):
        if not self.failed:
            self.failed = True
            raise OSError("database is locked")
        return self.journal.entries(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.journal, name)


def test_a_failed_journal_read_is_read_again():
    journal = EffectJournal()
    journal.append(_RESULTS)
    flow = _flow_on(_FailsOnce(journal))
    try:
        flow.label(_SEND, _TRIMMED, "T")  # the guard node denies this call (fail closed)
    except OSError:
        pass
    assert flow.label(_SEND, _TRIMMED, "T")["body"].readers is not None


def test_a_call_labelled_while_its_thread_is_rebuilt_waits_for_the_rebuild():
    import threading
    import time

    class Slow:
        """The first read of the journal waits until the second call is being labelled."""

        def __init__(self, journal: EffectJournal) -> None:
            self.journal, self.second, self.first = journal, threading.Event(), True

        def entries(self, *args, **kwargs):
            if self.first:
                self.first = False
                self.second.wait(5)
                time.sleep(0.05)  # the second call reaches the rebuild
            return self.journal.entries(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.journal, name)

    journal = EffectJournal()
    journal.append(_RESULTS)
    slow = Slow(journal)
    flow = _flow_on(slow)
    labels = {}
    first = threading.Thread(target=lambda: labels.__setitem__("first", flow.label(_SEND, _TRIMMED, "T")))
    first.start()
    time.sleep(0.05)  # the first call is rebuilding the thread
    slow.second.set()
    labels["second"] = flow.label(dict(_SEND, id="c4"), _TRIMMED, "T")  # the turn's other call (a Send)
    first.join()
    assert labels["first"]["body"].readers is not None and labels["second"]["body"].readers is not None
    assert flow._thread_calls["T"] == ["c1", "c2"]  # rebuilt once, in the order of the journal


def test_a_thread_is_not_dropped_during_its_own_rebuild():
    # label called directly (no guard node holding the thread): another conversation showing a result
    # while the thread is rebuilt must not push it out half rebuilt
    journal = EffectJournal()
    journal.append(_RESULTS)

    class Busy:
        """Another conversation shows a result once this thread's first result is restored."""

        def __init__(self) -> None:
            self.flow: PrivacyFlow | None = None

        def entries(self, *args, **kwargs):
            got = journal.entries(*args, **kwargs)
            flow = self.flow

            class Entries(list):
                def __iter__(self):
                    for e in list.__iter__(self):
                        yield e
                        if e.call_id == "c2" and e.kind == "proposed":  # c1 is restored by now
                            flow.record("U", "u1", "weather", _decl(weather), "rain")

            return Entries(got) if args and args[0] == "T" else got

        def __getattr__(self, name):
            return getattr(journal, name)

    busy = Busy()
    flow = PrivacyFlow(POLICY, journal=busy, max_threads=1)
    busy.flow = flow
    spec = ToolSpec.of(get_tax_id)
    flow.bind({spec.name: spec}, busy)
    assert flow.label(_SEND, _TRIMMED, "T")["body"].readers is not None
    assert flow._thread_calls.get("T") == ["c1", "c2"] and not flow._held


def test_conversations_are_rebuilt_side_by_side():
    # a slow journal read for one conversation does not hold up another's rebuild
    import threading

    journal = EffectJournal()
    first_reading, second_read = threading.Event(), threading.Event()
    stripes = len(PrivacyFlow(POLICY)._restoring)
    a = "A"  # and a conversation whose rebuilds do not share A's lock
    b = next(t for t in (f"B{i}" for i in range(1000)) if hash(t) % stripes != hash(a) % stripes)
    # both on record (a journal that never saw a conversation is not read for it)
    journal.append([(t, "earlier", "note", "denied", {"reason": "x"}) for t in (a, b)])

    class Slow:
        def entries(self, *args, **kwargs):
            if args and args[0] == a:
                first_reading.set()
                assert second_read.wait(5), "the second conversation's rebuild waited for the first's"
            elif args and args[0] == b:
                second_read.set()
            return journal.entries(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(journal, name)

    flow = PrivacyFlow(POLICY, journal=Slow())
    errors: list[BaseException] = []

    def label_a() -> None:
        try:
            flow.label(_SEND, _TRIMMED, a)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=label_a)
    thread.start()
    assert first_reading.wait(5)
    flow.label(_SEND, _TRIMMED, b)
    thread.join()
    assert not errors and second_read.is_set() and not flow._held
