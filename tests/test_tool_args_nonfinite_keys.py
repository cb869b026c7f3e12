"""Red team 142: a NaN or an infinity as a mapping's key reaches the tool, though the README refuses one anywhere.

docs/kernel.md ("What you get"): "invalid arguments, unknown tools and oversized payloads ... are denials, not
crashes; so is a NaN or an infinite number anywhere in the arguments (it would pass every `>` a guard
checks)". `vfa/_tools.py` `_nonfinite` walks a mapping's values but never its keys, and pydantic reads
the JSON key "NaN" (or "inf") of a `dict[float, ...]` argument as a float. So a fee schedule
`{"fees": {"NaN": 5.0}}` validates to `{nan: 5.0}`, a guard's `all(0 <= k <= 1000 for k in fees)`
passes it (every comparison with NaN is false, so `not (k > 1000)` holds), and the effect commits it.
The same goes for the audit, which validates a recorded call the same way.

Fixed: `_nonfinite` checks each key too and names it (`fees[nan]: a number must be finite`); the audit
validates with the same function.
"""

from __future__ import annotations

from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver

from vfa import ALLOW, Agent, Deny, effect, guard
from vfa.testing import ScriptedModel


def _run(args: dict) -> tuple[object, list]:
    set_fees_ran: list = []

    @effect
    def set_fees(fees: dict[float, float]) -> str:
        """Set the fee charged above each threshold."""
        set_fees_ran.append(fees)
        return "fees set"

    @guard
    def thresholds_in_range(p, c):
        return Deny(reason="threshold out of range") if any(k < 0 or k > 1000 for k in p.args["fees"]) else ALLOW

    model = ScriptedModel([AIMessage("", tool_calls=[{"name": "set_fees", "args": args, "id": "c1"}]), "ok"])
    app = Agent(model, [set_fees], [thresholds_in_range]).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [("user", "set the fees")]}, {"configurable": {"thread_id": "t"}})
    return out["messages"][2], set_fees_ran


def test_a_nan_key_is_refused_not_committed():
    msg, ran = _run({"fees": {"NaN": 5.0}})
    assert ran == [], f"the tool was given {ran}"
    assert msg.status == "error" and "finite" in msg.content, msg.content


def test_an_infinite_key_is_refused_not_committed():
    msg, ran = _run({"fees": {"-inf": 5.0}})
    assert ran == [], f"the tool was given {ran}"
    assert msg.status == "error" and "finite" in msg.content, msg.content


def test_finite_keys_still_commit():
    msg, ran = _run({"fees": {"100": 5.0, "250.5": 2.0}})
    assert ran == [{100.0: 5.0, 250.5: 2.0}] and msg.artifact["vfa"]["outcome"] == "committed"
