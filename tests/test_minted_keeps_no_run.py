"""`_minted`'s per-run tally keeps no run of a task alive, with what that run was given.

`_minted` (vfa/_guard_node.py) tells identical refusals of one run apart by their count in that run, and keeps the
count in the process-wide `_MINTED` table under the task's id, beside the run it belongs to: the task's LangGraph
scratchpad, held strongly ("so its identity is never another's") for the last 4,096 tasks. A scratchpad holds
the task's resume values (a person's answers: an edit's arguments) and, through `get_null_resume`, the pending
writes of the checkpoint the run resumed from (the interrupt's payload: the call's arguments as the person was
shown them). So once a resumed run of a turn refuses a call under a key of the node's own (a call without an id),
that person's edit and the call's arguments stay in the process's memory after `Agent.delete_thread` erased the
thread, and keep doing so until 4,096 other tasks have minted a key.

What must hold (docs/kernel.md "Erasing a thread": the deletion erases the checkpoints, the journal entries, "then what
the flows reading the journal in this process hold of it"; the earlier "forget" fixes treat a value left in a
process-wide cache after erasure as a defect): once `delete_thread` returns and the graph is let go, nothing
reachable from `_MINTED` holds a value of the erased thread; the count still tells a run's identical refusals
apart, and a run of the task again (a resume) gives the same keys.

Fixed: _MINTED holds the run weakly, by its scratchpad's own get_null_resume.
"""

from __future__ import annotations

import gc
import types
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command

import vfa._guard_node as guard_node
from vfa import ALLOW, Agent, EffectJournal, Escalate, effect, guard
from vfa.testing import ScriptedModel

EDITED = "mallory 4111-1111-1111-1111"
ASKED = "acct 078-05-1120"


def lookup(who: str) -> str:
    """Look someone up."""
    return f"{who} is known"


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


@guard
def ask_before_paying(p, c):
    return Escalate(question="pay?") if p.tool == "pay" else ALLOW


def _reachable_texts(root: Any, limit: int = 200_000) -> list[str]:
    seen: set[int] = set()
    stack, texts = [root], []
    while stack and len(seen) < limit:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            texts.append(obj)
            continue
        if isinstance(obj, (type, types.ModuleType, types.BuiltinFunctionType, types.CodeType)):
            continue  # the walk is of what the table holds, not of the interpreter
        if isinstance(obj, types.FunctionType):  # what it closes over, not its module's globals
            for cell in obj.__closure__ or ():
                try:
                    stack.append(cell.cell_contents)
                except ValueError:  # an empty cell
                    pass
            continue
        stack.extend(gc.get_referents(obj))
    return texts


def test_no_value_of_an_erased_thread_is_left_in_the_minted_table() -> None:
    turn = AIMessage("", tool_calls=[
        {"name": "lookup", "args": {"who": "eve"}, "id": "", "type": "tool_call"},  # refused under a minted key
        {"name": "pay", "args": {"to": ASKED, "amount": 5}, "id": "p", "type": "tool_call"},
    ])
    with EffectJournal() as journal:
        agent = Agent(ScriptedModel([turn, "done"]), [lookup, pay], guards=[ask_before_paying], journal=journal)
        graph = agent.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "t"}}
        graph.invoke({"messages": [("user", "pay")]}, config)
        graph.invoke(Command(resume={"action": "edit", "args": {"to": EDITED, "amount": 5}}), config)
        out = graph.invoke(Command(resume={"action": "approve"}), config)
        assert f"paid 5 to {EDITED}" in [m.content for m in out["messages"]], "control: the edit was committed"
        refused = [m for m in out["messages"] if getattr(m, "status", None) == "error"]
        assert len(refused) == 1 and "has no id" in refused[0].content, "control: the id-less call was refused"

        agent.delete_thread("t")
        del graph, out, refused
        gc.collect()

        left = [t for t in _reachable_texts(guard_node._MINTED) if EDITED in t or ASKED in t]
        assert left == [], f"the minted-key table holds the erased thread's values: {left[:3]}"


def test_identical_refusals_of_one_run_still_get_keys_of_their_own_and_the_same_on_resume() -> None:
    turn = AIMessage("", tool_calls=[
        {"name": "lookup", "args": {"who": "eve"}, "id": "", "type": "tool_call"},
        {"name": "lookup", "args": {"who": "eve"}, "id": "", "type": "tool_call"},
        {"name": "pay", "args": {"to": "bob", "amount": 5}, "id": "p", "type": "tool_call"},
    ])
    with EffectJournal() as journal:
        agent = Agent(ScriptedModel([turn, "done"]), [lookup, pay], guards=[ask_before_paying], journal=journal)
        graph = agent.compile(checkpointer=InMemorySaver())
        config = {"configurable": {"thread_id": "t"}}
        graph.invoke({"messages": [("user", "pay")]}, config)  # both refused, then the pay's question
        first = [e.call_id for e in journal.entries("t") if e.kind == "denied"]
        gc.collect()  # the first run's scratchpad is gone: a new run may be given its address
        out = graph.invoke(Command(resume={"action": "approve"}), config)
        again = [e.call_id for e in journal.entries("t") if e.kind == "denied"]
        assert len(set(first)) == 2, first
        assert again == first, "the resumed run journaled its refusals again under other keys"
        keys = [m.artifact["vfa"]["call_id"] for m in out["messages"] if getattr(m, "status", None) == "error"]
        assert sorted(keys) == sorted(first)
