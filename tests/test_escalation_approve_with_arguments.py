"""An approval that carries arguments is ambiguous: it rejects, and nothing runs.

Fixed: `decision_of` read `{"type": "approve", "args": ...}` (or with an `edited_action`, or inside
`decisions`) as a plain approval and dropped the arguments, so the model's own call ran, disclosing to
the recipient the person had meant to replace. The person approved neither call as it would run.
"""

from __future__ import annotations

from typing import Any

import pytest
from _approvals import approving_agent, mail_address
from langchain_core.messages import HumanMessage
from langgraph.types import Command

from benchmarks.privacy.world import BOB, DANA, World
from vfa import EffectJournal
from vfa.testing import ScriptedModel


def _app() -> tuple[World, Any]:
    w = World("")
    journal = EffectJournal()
    # dana may not read the address: the privacy guard asks
    app = approving_agent(ScriptedModel(rule=mail_address(DANA)), w.tools(), journal)
    return w, app


@pytest.mark.parametrize("shape", ["args", "edited_action", "decisions"])
def test_an_approval_carrying_other_arguments_does_not_run_the_models_call(shape: str) -> None:
    w, app = _app()
    cfg = {"configurable": {"thread_id": "t"}}
    out = app.invoke({"messages": [HumanMessage("send dana a note")]}, cfg)
    asked = out["__interrupt__"][0]
    assert asked.value["guard"] == "privacy"
    mine = {"to": [BOB], "subject": "addr", "body": "see you soon"}  # the person's own arguments
    answer: Any = {
        "args": {"type": "approve", "args": mine},
        "edited_action": {"type": "approve", "edited_action": {"name": "send_email", "args": mine}},
        "decisions": {"decisions": [{"type": "approve", "edited_action": {"name": "send_email", "args": mine}}]},
    }[shape]
    out = app.invoke(Command(resume={asked.id: answer}), cfg)
    while out.get("__interrupt__"):
        out = app.invoke(Command(resume={out["__interrupt__"][0].id: {"type": "reject"}}), cfg)
    leaked = [m for m in w.sent if DANA in m["to"]]
    assert not leaked, (f"the person answered with other arguments ({mine}), but the model's call ran unchanged: "
                        f"{leaked}")
