"""An agent used as a subgraph erases its thread from the parent's saver even where no call was made on it.

What must hold (docs/kernel.md "Erasing a thread": its checkpoints first, "in each checkpointer the agent's `compile` was
given, or a run of its graph was saved in (the parent's, for a subgraph ...)"): an `Agent(...).compile()` added as a
node of an app compiled with a `SqliteSaver` runs a conversation in which the model proposes no tool call (it
answers in text: the user's words and its own are in the parent's checkpoints all the same). `delete_thread` on
that thread must leave no checkpoint of it in the parent's saver.

Before: the run's saver was noted by the guard node alone (`GuardNode._func`), which a run without a tool call
never reaches: the erasure deleted nothing and said nothing, the conversation left in the parent's file.

Fixed: the Agent's model node notes its run's saver too (GuardNode.note_saver).
"""

from __future__ import annotations

from pathlib import Path

from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import START, MessagesState, StateGraph

from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


@effect
def pay(to: str, amount: int) -> str:
    """Pay someone."""
    return f"paid {amount} to {to}"


def test_a_subgraph_run_without_tool_calls_is_erased_from_the_parents_saver(tmp_path: Path) -> None:
    with EffectJournal(tmp_path / "j.db") as journal, SqliteSaver.from_conn_string(str(tmp_path / "cp.db")) as saver:
        agent = Agent(ScriptedModel(["noted: IBAN DE00 1234; nothing to pay today"]), [pay], journal=journal)
        builder = StateGraph(MessagesState)
        builder.add_node("assistant", agent.compile())
        builder.add_edge(START, "assistant")
        app = builder.compile(checkpointer=saver)
        config = {"configurable": {"thread_id": "t"}}
        app.invoke({"messages": [("user", "my IBAN is DE00 1234")]}, config)
        assert list(saver.list(config)), "the parent's saver holds the conversation"

        agent.delete_thread("t")
        assert list(saver.list(config)) == [], "the conversation was left in the parent's checkpoints"
