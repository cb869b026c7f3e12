"""verify_plan reads an omitted argument's default as the run time does, a `default_factory`'s too.

What must hold: a LangChain tool whose schema declares `cc: list[str] = Field(default_factory=list)` and whose
precondition reads `cc` is called as `send(to="bob")`; the run time validates the call to `cc=[]`, and the
precondition holds, so a plan of that step from a state the assumption keeps "bob" out of `state.banned` is
verified (and one sending to a banned person is still rejected).

Before, verify_plan took `FieldInfo.default`, which is `PydanticUndefined` for a default factory: the plan was
rejected with "cc = PydanticUndefined is not a valid set[str]", a step the run time allows.

Fixed: verify_plan takes an omitted argument's default through get_default(call_default_factory=True); a
factory that raises rejects the step with its reason.
"""

from __future__ import annotations

from langchain_core.tools import StructuredTool
from pydantic import BaseModel, Field

from guards import Step, requires, verify_plan


class World(BaseModel):
    banned: set[str]


class SendArgs(BaseModel):
    to: str
    cc: list[str] = Field(default_factory=list)


def _send(to: str, cc: list[str] | None = None) -> str:
    return "sent"


send = requires("to not in state.banned", "'eve' not in cc", state=World)(
    StructuredTool.from_function(_send, name="send", description="Send a note.", args_schema=SendArgs))


def test_an_omitted_argument_takes_its_factory_default() -> None:
    result = verify_plan([Step("send", to="bob")], [send], assume=["'bob' not in state.banned"])
    assert result.ok, result.explanation


def test_a_failing_step_is_still_found() -> None:
    result = verify_plan([Step("send", to="bob")], [send], assume=["'bob' in state.banned"])
    assert not result.ok and result.failed_step == 0 and result.clause == "to not in state.banned"
