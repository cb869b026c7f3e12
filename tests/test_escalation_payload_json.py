"""A question shows the call's arguments as the JSON an edit answers with: typed arguments (a
`SecretStr`, a `Decimal`, a date) reach the person, and the checkpoint, as plain JSON values."""

from __future__ import annotations

import datetime
import json
import warnings
from decimal import Decimal

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command
from pydantic import SecretStr

from vfa import Agent, Escalate, effect, guard
from vfa.testing import ScriptedModel


@guard
def confirm(proposal, context):
    return Escalate(question="change the password?")


def test_a_question_shows_typed_arguments_as_json_and_an_approval_runs_them() -> None:
    done: list = []

    @effect
    def set_password(password: SecretStr, limit: Decimal, on: datetime.date) -> str:
        """Set the password."""
        done.append((password.get_secret_value(), limit, on))
        return "set"

    call = {"password": "hunter2-new", "limit": "1.50", "on": "2026-12-01"}
    app = Agent(ScriptedModel([[("set_password", call)], "end"]), [set_password], [confirm]).compile(
        checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "t"}}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # LangGraph warns when a checkpoint holds a type it will not load
        out = app.invoke({"messages": [("user", "change it")]}, cfg)
        question = out["__interrupt__"][0].value
        assert question["args"] == call and json.loads(json.dumps(question["args"])) == call
        assert app.get_state(cfg).interrupts[0].value["args"] == call
        app.invoke(Command(resume={"type": "approve"}), cfg)
    assert done == [("hunter2-new", Decimal("1.50"), datetime.date(2026, 12, 1))]
