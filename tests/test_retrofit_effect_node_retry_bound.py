"""A guarded effect node's `retry_policy` bounds its attempts across resumes, as it does unguarded.

README: "a retry its `retry_policy` asks for is a call of its own (`<task>#attempt2`, ...), verified again
(a person asked again, where a guard or the node asks) and committed once". LangGraph counts a task's
attempts from 1 again in every run (`run_with_retry`), and a guarded attempt whose guard asks a person
ends that run with an interrupt. So each resume runs the node once more and asks about a new attempt
(`#attempt3`, `#attempt4`, ...): with `RetryPolicy(max_attempts=3)` a payment whose API keeps failing is
tried again at every approval, without end (a person who approves each question sees ten, twenty). The
same node unguarded, asking with `interrupt()` itself, is tried three times and the run fails with its error.
With `on_deny` raising (the README's "raising to stop the run") and a person who rejects, the person is
asked about a new attempt at every rejection, never stopped.

Must hold: the attempts the journal holds of the task are at most the policy's `max_attempts`; past them the
task ends as its last attempt ended (the node's error, or the denial `on_deny` is given again).
"""

from __future__ import annotations

from typing import Any, TypedDict

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, RetryPolicy

import graphs
from vfa import Escalate, guard

CFG = {"configurable": {"thread_id": "t"}}


class _State(TypedDict, total=False):
    to: str
    paid: bool


@guard
def confirm(p, c):
    return Escalate(guard="confirm", question=f"pay {p.args['to']}?")


def _app(pay: Any, **hooks: Any) -> Any:
    b = StateGraph(_State)
    b.add_node("pay", pay, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False,
                                                      retry_on=(ConnectionError, _Refused)))
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    return graphs.guard_graph(b, [confirm], checkpointer=InMemorySaver(),
                              effect_nodes={"pay": {"args_of": lambda state: {"to": state["to"]}, **hooks}})


class _Refused(Exception):
    pass


def _answer_until_done(app: Any, answer: str, limit: int = 8) -> tuple[list[str], BaseException | None]:
    out = app.invoke({"to": "landlord"}, CFG)
    asked: list[str] = []
    while "__interrupt__" in out and len(asked) < limit:
        asked.append(out["__interrupt__"][0].value["call_id"])
        try:
            out = app.invoke(Command(resume=answer), CFG)
        except Exception as exc:  # noqa: BLE001 - the run's end, whatever the node raised
            return asked, exc
    return asked, None


def test_a_failing_payment_approved_each_time_is_tried_max_attempts_times() -> None:
    tried: list[int] = []

    def pay(state: _State) -> dict[str, Any]:
        tried.append(1)
        raise ConnectionError("the bank is down")

    asked, error = _answer_until_done(_app(pay), "approve")
    assert len(tried) <= 3, f"max_attempts=3, yet the payment was tried {len(tried)} times ({len(asked)} questions)"
    assert error is not None and "the bank is down" in str(error)


def test_an_on_deny_that_raises_stops_the_run_under_a_retry_policy() -> None:
    tried: list[int] = []

    def pay(state: _State) -> dict[str, Any]:
        tried.append(1)
        return {"paid": True}

    def stop(state: _State, message: Any) -> Any:
        raise _Refused(str(message.content))

    asked, error = _answer_until_done(_app(pay, on_deny=stop), "reject")
    assert tried == []
    assert len(asked) <= 3, f"max_attempts=3, yet the person was asked {len(asked)} times: {asked}"
    assert isinstance(error, _Refused)


@pytest.mark.parametrize("answer", ["approve", "reject"])
def test_unguarded_the_policy_bounds_the_attempts(answer: str) -> None:  # the behaviour to keep (holds)
    from langgraph.types import interrupt

    tried: list[str] = []

    def pay(state: _State) -> dict[str, Any]:
        tried.append(interrupt("pay landlord?"))
        raise ConnectionError("the bank is down")

    b = StateGraph(_State)
    b.add_node("pay", pay, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False,
                                                      retry_on=ConnectionError))
    b.add_edge(START, "pay")
    b.add_edge("pay", END)
    app = b.compile(checkpointer=InMemorySaver())
    app.invoke({"to": "landlord"}, CFG)
    with pytest.raises(ConnectionError):
        app.invoke(Command(resume=answer), CFG)
    assert tried == [answer] * 3
