"""What the model writes under an injected argument's name feeds no validation the guards judge by.

`vfa.Agent` drops what the model writes under an injected argument's name (`"state": {...}`) before the
tool runs (`vfa._injected.injected_runs`) and says it is "neither judged nor given to the tool". But the
call is first validated by the tool's own `args_schema` (`vfa._lc_tools._as_the_tool_reads`: its validators
may move one value into another, so the guards judge what the tool will read), and that validation was
fed the model's value under the injected name. A schema whose validator reads the state (here, a fee of
100 per message of the conversation) gave the guards the amount computed from the model's fake state (no
messages: 0, allowed by `amount <= 100`), and the tool, validating again with the real state, paid 200:
an amount no guard judged. Without the fake state the same call is refused ("the tool's own schema
cannot be checked without its injected arguments"), and so it is behind a guarded `ToolNode` and under
`create_agent` + `GuardMiddleware`, where the model's key never reaches the validation.

What must hold: the model's value under an injected name is not used to validate the call; the call is
refused as the other two refuse it, and nothing is paid.

Where: `vfa/_lc_tools.py` `_as_the_tool_reads` (`as_the_tool` validates `data` as the model wrote it).

Fixed: the Agent validates by the tool's own schema with the injected names (and their aliases) left
out (`vfa._lc_tools.args_model_of(tool, drop)`); a gate keeps validating what an app's own node passes.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import StructuredTool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import InjectedState
from pydantic import BaseModel, model_validator

from vfa import ALLOW, Agent, Deny, guard
from vfa.testing import ScriptedModel


class PayArgs(BaseModel):
    to: str
    amount: int = 0
    state: Annotated[dict, InjectedState]

    @model_validator(mode="before")
    @classmethod
    def fee(cls, data: Any) -> Any:
        """The fee grows with the conversation: 100 per message."""
        if isinstance(data, dict):
            data = {**data, "amount": 100 * len(data["state"]["messages"])}
        return data


def test_a_fake_state_the_model_writes_never_makes_the_amount_the_guards_judge():
    paid: list[int] = []
    judged: list[Any] = []

    def _pay(to: str, amount: int, state: dict) -> str:
        paid.append(amount)
        return f"paid {amount}"

    pay = StructuredTool.from_function(_pay, name="pay", description="Pay the fee.", args_schema=PayArgs)

    @guard
    def cap(p, c):
        judged.append(p.args.get("amount"))
        return ALLOW if p.args.get("amount", 10**9) <= 100 else Deny(reason="over 100")

    model = ScriptedModel([("pay", {"to": "bob", "state": {"messages": []}}), "done"])
    app = Agent(model, [pay], guards=[cap]).compile(checkpointer=InMemorySaver())
    out = app.invoke({"messages": [HumanMessage("pay the fee")]}, {"configurable": {"thread_id": "t"}})
    message = next(m for m in out["messages"] if isinstance(m, ToolMessage))
    assert paid == [], f"paid {paid}, while the guards judged {judged}"
    assert message.status == "error" and "injected" in str(message.content)
