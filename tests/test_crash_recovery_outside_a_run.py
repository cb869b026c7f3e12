"""A call cut off mid-effect and made again outside any graph run is ended, not asked about.

bf324bf made a guard's question about a call made outside any graph run deny it ("nobody can be asked
there"), as the README now says, and journal no question nobody will answer. The guard node's own
question has the same problem and was left out: a gated tool called from plain code with a tool call's
id (a hand-written agent loop dispatching a model's calls), cut off during its effect and called again
with that id, reached `_recover`, which journaled an `escalated` question and called LangGraph's
`interrupt()`: "RuntimeError: Called get_config outside of a runnable context", naming neither the tool
nor the reason, and the journal kept a question nobody could ever answer.

What must hold (fail closed, clear error): the second call returns an error message naming the tool and
saying it was made outside a graph run; the effect is not run again (it may have happened); the journal
holds no question, and ends the call.

Fixed: where no run can pause (can_ask), the guard node's recovery ends the call failed with a clear error,
never run again, and journals no question.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import ToolMessage
from langchain_core.tools import tool

from graphs import ToolGate
from vfa import effect


def test_a_cut_off_call_made_again_outside_a_run_is_ended_not_asked() -> None:
    cut = [True]
    paid: list[Any] = []

    @tool
    @effect
    def pay(to: str, amount: int) -> str:
        """Pay someone."""
        if cut[0]:
            cut[0] = False
            raise KeyboardInterrupt("the process is stopped mid-effect")
        paid.append((to, amount))
        return "paid"

    gate = ToolGate([])
    gated = gate.gated(pay)
    call = {"name": "pay", "id": "c1", "type": "tool_call", "args": {"to": "bob", "amount": 5}}
    try:
        gated.invoke(call)
    except KeyboardInterrupt:
        pass
    out = gated.invoke(call)  # before: RuntimeError: Called get_config outside of a runnable context
    assert isinstance(out, ToolMessage) and out.status == "error", out
    assert "pay" in out.content and "outside a graph run" in out.content, out.content
    assert paid == []
    kinds = [e.kind for e in gate.journal.entries(call_id="c1")]
    assert "escalated" not in kinds and kinds[-1] == "failed", kinds
    again = gated.invoke(call)  # ended: answered as recorded, never run
    assert again.status == "error" and paid == []
