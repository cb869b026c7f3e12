"""LangChain's retry middlewares turn vfa's set-up refusals into a model answer or a tool failure.

Scenario: a `create_agent` app stacks LangChain's retry middlewares before `GuardMiddleware`, as production
apps do (`ModelRetryMiddleware`, `ToolRetryMiddleware`: by default both retry every `Exception` and then
answer with a message, `on_failure="continue"`). vfa refuses some set-ups where the call is first handled,
raising `ConfigError` / `PolicyError` (README: "refused at set-up (PolicyError)", "runs no call
(ConfigError)"):

* with a privacy flow, a tool given the agent's state (`InjectedState`) whose sink does not declare it kept
  (as `TodoListMiddleware`'s `write_todos`, given the runtime): `PolicyError`, raised by the model-read hook
  (`ToolGate.read` registering the model call's tools);
* two `GuardMiddleware`s in one agent: `ConfigError` "already gated by another vfa gate".

Behind the retry middleware, each refusal is retried (three model calls, three tool attempts) and then
becomes text: the run ends normally with the AI answer "Model call failed after 3 attempts with PolicyError:
..." shown to the end user, or the model is told "Tool 'pay' failed after 3 attempts with ConfigError: ..."
and goes on. Nothing runs (fail closed), but the developer's mistake is reported as a model or tool failure
on every turn in production instead of failing the run with the error, as it does without the retry
middleware (and as vfa already does for its other run-stopping errors, `AnswerError` and `JournalError`,
which it raises as LangGraph's control signals so LangChain's handlers pass them on).

Must hold: the run raises the refusal (its type and message), through either retry middleware, sync and async.

Fixed: ToolGate._refusing raises a ConfigError met at a tool or model call as a run-stopping error
(_stopping), which LangChain's retry and error middlewares hand on.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from _web_mail import mail_to
from langchain.agents import create_agent
from langchain.agents.middleware import ModelRetryMiddleware, ToolRetryMiddleware
from langchain_core.messages import HumanMessage
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState
from typing_extensions import Annotated

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy
from vfa import ConfigError, PolicyError
from vfa.testing import ScriptedModel

CFG = {"configurable": {"thread_id": "t"}}


def _run(app: Any, mode: str) -> Any:
    inp = {"messages": [HumanMessage("go")]}
    return app.invoke(inp, CFG) if mode == "sync" else asyncio.run(app.ainvoke(inp, CFG))


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_policy_error_of_the_model_read_is_raised_through_model_retry(mode: str) -> None:
    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"), secret=b"middleware-replies")
    answers: list[Any] = []
    model = ScriptedModel(rule=lambda ms: answers.append(1) or "hello")

    @tool
    def remember(note: str, state: Annotated[dict, InjectedState]) -> str:
        """Keep a note (reads the agent's state, which no privacy declaration says it keeps)."""
        return "kept"

    app = create_agent(model, [mail_to([]), remember], checkpointer=InMemorySaver(), middleware=[
        ModelRetryMiddleware(max_retries=2, initial_delay=0, jitter=False), GuardMiddleware([flow.guard()], flow=flow)])
    with pytest.raises(PolicyError, match="remember"):
        _run(app, mode)
    assert answers == []


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_config_error_of_two_gates_is_raised_through_tool_retry(mode: str) -> None:
    paid: list[int] = []

    @tool
    def pay(amount: int) -> str:
        """Pay."""
        paid.append(amount)
        return "paid"

    class PaymentGuards(GuardMiddleware):  # a second set of guards (create_agent wants distinct names)
        name = property(lambda self: "vfa-payments")

    app = create_agent(ScriptedModel([("pay", {"amount": 5}), "ok"]), [pay], checkpointer=InMemorySaver(), middleware=[
        ToolRetryMiddleware(max_retries=2, initial_delay=0, jitter=False), GuardMiddleware([]), PaymentGuards([])])
    with pytest.raises(ConfigError, match="already gated by another vfa gate"):
        _run(app, mode)
    assert paid == []
