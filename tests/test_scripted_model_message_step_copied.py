"""A ScriptedModel's AIMessage step is replied as a copy: the script is never written to, and each reply is a new message.

`to_message` returned an `AIMessage` step as the very object the script holds, and LangChain writes the run's
id onto a reply that has none (`BaseChatModel._generate_with_cache`), in place: the script's message took the
first run's id for good. A step used twice (`[ask, ask]`, or a rule answering with one constant message) then
replied with that same id, and LangGraph's `add_messages` took the second reply for an update of the first:
it replaced it, and the conversation silently lost a turn (the reply the test scripted never appears). The
graph could also write into the script's message (it is the very object held in the state).

What must hold: the script's message is left as it was given (no id written onto it), each reply is its own
object with its own id, and a thread answered twice by one scripted message holds both replies.

Fixed: an AIMessage step is replied as a deep copy; an id set on the step is kept.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, MessagesState, StateGraph

from vfa.testing import ScriptedModel


def test_the_script_is_not_written_to_and_each_reply_is_its_own() -> None:
    step = AIMessage(content="noted")
    model = ScriptedModel([step, step])
    first = model.invoke([HumanMessage("a")])
    second = model.invoke([HumanMessage("a"), first, HumanMessage("b")])
    assert step.id is None, "the script's own message was written to"
    assert first is not step and second is not step
    assert first.id != second.id


def test_a_thread_answered_twice_by_one_scripted_message_keeps_both_replies() -> None:
    reply = AIMessage(content="noted")
    model = ScriptedModel(rule=lambda messages: reply)
    builder = StateGraph(MessagesState)
    builder.add_node("model", lambda state: {"messages": [model.invoke(state["messages"])]})
    builder.add_edge(START, "model")
    app = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "t"}}
    app.invoke({"messages": [HumanMessage("first")]}, config)
    out = app.invoke({"messages": [HumanMessage("second")]}, config)
    assert [m.type for m in out["messages"]] == ["human", "ai", "human", "ai"]
