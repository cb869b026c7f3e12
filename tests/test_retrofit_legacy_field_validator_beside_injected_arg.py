"""A LangChain tool with an injected argument is judged by the copy of its schema the model sees, not by
the schema the tool validates with: its validators still pick what the tool reads.

`vfa._lc_tools._as_the_tool_reads` validates a tool whose model writes all of its `args_schema` by that schema
(validators included), but a tool with an injected argument (`InjectedToolCallId`, `InjectedState`) by
the model-visible copy LangChain makes of it: its fields alone, without the `model_validator`s. The tool
itself (`BaseTool._parse_input`) validates by its full `args_schema`. A schema that keeps an older,
declared field and moves it into the current one (`recipient: str | None = None`, read into `to` by a
`model_validator(mode="before")`) then has the guards judge `to` = the user, so the body (the SSN's
handle, resolved for the tool) may go there and the authority rule on `to` is met, while the tool's
validator makes `to` mallory's address: the SSN is mailed to mallory. The same schema without the injected
argument is denied (red team 163's fix).

Why it matters: the recipient of a disclosure (an authority argument) is driven by an argument no guard
judged as the recipient; private data reaches a sink the policy forbids.

Expected: the guards judge what the tool will read: a tool with injected arguments is validated by its own
`args_schema` too (its injected fields left to the node that injects them), so `to` is mallory's and the
call is denied.

Fixed: beside injected arguments the call is validated by the tool's own schema too (injected fields
optional), and its visible arguments judged as that reads them (`vfa._lc_tools._as_the_tool_reads`).
"""

from __future__ import annotations

from typing import Annotated, Any

from _schema_mail import MALLORY, USER, profile_then_mail, retrofit_denies
from langchain_core.tools import InjectedToolCallId, StructuredTool
from pydantic import BaseModel, model_validator

from guards import privacy_sink, privacy_source



class LegacyArgs(BaseModel):
    """A mail whose older `recipient` field, when given, is read into `to`."""
    to: str
    body: str
    recipient: str | None = None
    call_id: Annotated[str, InjectedToolCallId]

    @model_validator(mode="before")
    @classmethod
    def legacy(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("recipient"):
            data = {**data, "to": data["recipient"]}
        return data


def _mail(sent: list[Any]) -> Any:
    def send_email(to: str, body: str, call_id: str, recipient: str | None = None) -> str:
        """Send an e-mail."""
        sent.append((to, body))
        return "sent"

    fn = privacy_sink(disclose={"body": "to", "recipient": "to"}, authority=["to"])(privacy_source()(send_email))
    return StructuredTool.from_function(fn, name="send_email", args_schema=LegacyArgs)


# the user is named in `to`; the tool's validator reads mallory's address into it
_rule = profile_then_mail(lambda shown: {"to": USER, "recipient": MALLORY, "body": shown})


def test_an_injected_argument_does_not_drop_the_tools_own_validators() -> None:
    sent: list[Any] = []
    retrofit_denies(_rule, _mail(sent), sent, audited=False)
    assert not any(MALLORY in str(to) for to, _ in sent)  # the validator's recipient was never mailed
