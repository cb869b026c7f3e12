"""An `@effect` (or plain tool) over a pydantic `validate_call` function is validated twice.

The guard node validates the model's arguments by the function's signature (`_model_from_signature`) and
judges the values that validation makes; it then calls the function with those values
(`_guard_node._run`: `spec.fn(**proposal.args)`). A `validate_call` function validates what it is given
again, so a validator that changes its value runs on its own output:

- an `AfterValidator` that reads dollars as cents: the precondition `amount <= 100_000` (cents) judges
  50_000 for "500" and allows it; the tool is handed 50_000, makes it 5_000_000 and pays $50,000;
- `Json[dict]` refuses the dict the first validation made ("JSON input should be string"): every call
  of the tool fails under vfa, though the function runs with the same JSON called directly.

Not a documented limit: docs/kernel.md says arguments "are validated against the tool's pydantic schema"
and that the tool gets "the values it was first given (a decoding validator decodes once)"; for
LangChain tools, which validate their input themselves, the call is handed on as written.

Expected: the tool receives exactly the values the guards judged (validated once), so the payment the
precondition allowed is the one made, and a decoding type decodes once.

Fixed: a validate_call function is given the call as written (handles swapped for their values), as a
LangChain tool is.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import HumanMessage, ToolMessage
from pydantic import AfterValidator, Json, validate_call

from guards import requires
from vfa import Agent, EffectJournal, effect
from vfa.testing import ScriptedModel


def _cents(dollars: int) -> int:
    return dollars * 100


def _run(tool: Any, args: dict[str, Any]) -> ToolMessage:
    name = getattr(tool, "name", None) or tool.__name__
    app = Agent(ScriptedModel([(name, args), "done"]), [tool], journal=EffectJournal()).compile()
    out = app.invoke({"messages": [HumanMessage("go")]}, {"configurable": {"thread_id": "t"}})
    return next(m for m in out["messages"] if isinstance(m, ToolMessage))


def test_the_precondition_judges_the_amount_the_validate_call_effect_pays() -> None:
    paid: list[int] = []

    @requires("amount <= 100000")  # cents: at most $1,000
    @effect
    @validate_call
    def pay(to: str, amount: Annotated[int, AfterValidator(_cents)]) -> str:
        """Pay `amount` dollars to `to`."""
        paid.append(amount)
        return f"paid {amount} cents to {to}"

    allowed = _run(pay, {"to": "bob", "amount": 500})  # $500: within the limit
    assert paid == [50_000], (paid, allowed.content)  # not 5_000_000: the amount the precondition judged

    denied = _run(pay, {"to": "bob", "amount": 5000})  # $5,000: over it
    assert "denied" in denied.content and paid == [50_000]


def test_a_decoding_type_decodes_once_for_a_validate_call_tool() -> None:
    stored: list[Any] = []

    @validate_call
    def put(doc: Json[dict]) -> str:
        """Store a document."""
        stored.append(doc)
        return "stored"

    put(doc='{"title": "groceries"}')  # the function itself takes the JSON text
    message = _run(put, {"doc": '{"title": "groceries"}'})
    assert message.status != "error", message.content
    assert stored == [{"title": "groceries"}, {"title": "groceries"}]
