"""Red team 115 (utility): an honest Bedrock Converse turn with extended thinking blinds the thread.

`langchain-aws`'s `ChatBedrockConverse` writes a reasoning model's thinking as a `reasoning_content` block (LangChain's
own Bedrock Converse translator reads it as `reasoning`). `provider_ran` reads the content as written against an
allow-list (`_MODEL_BLOCKS`) that knows `reasoning` and `thinking` but not `reasoning_content`, so every such turn
counts as a tool the provider ran: the thread is blinded and even a mail to the user, at the address the user typed,
in a conversation that read nothing at all, is denied. Every Bedrock Claude app with thinking on is unusable.

Expected: the user's own mail is sent (as it is for the same turn written as Anthropic's `thinking`, the control).

Fixed: `reasoning_content` (and a generated image's `image_url`) are among the model's own blocks.

Where: `guards/_threads.py` `_MODEL_BLOCKS` (add `reasoning_content`; more generally, judge a raw block the
translator turns into a model block such as `reasoning` by its translation).
"""

from __future__ import annotations

from typing import Any

from langchain.agents import create_agent
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langgraph.checkpoint.memory import InMemorySaver

from graphs import GuardMiddleware
from guards import PrivacyFlow, PrivacyPolicy
from tests._web_mail import ME, mail_to
from vfa.testing import ScriptedModel


def _run(thinking: dict, provider: str) -> list[Any]:
    sent: list[Any] = []
    call = {"name": "send_email", "id": "m1", "args": {"to": ME, "body": "Remember the dentist at 4pm."}}

    def rule(ms: list[Any]) -> Any:
        if isinstance(ms[-1], ToolMessage):
            return AIMessage("Sent.")
        return AIMessage([thinking, {"type": "text", "text": "Sending you the reminder."}], tool_calls=[call],
                         response_metadata={"model_provider": provider})

    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt115")
    mw = GuardMiddleware([flow.guard()], flow=flow)
    app = create_agent(ScriptedModel(rule=rule), [mail_to(sent)], middleware=[mw], checkpointer=InMemorySaver())
    app.invoke({"messages": [HumanMessage(f"Mail me a reminder about the dentist at 4pm, to {ME}.")]},
               {"configurable": {"thread_id": "t"}})
    return sent


def test_control_anthropic_thinking_sends() -> None:
    assert _run({"type": "thinking", "thinking": "The user wants a reminder.", "signature": "sig"}, "anthropic")


def test_bedrock_reasoning_content_sends() -> None:
    sent = _run({"type": "reasoning_content", "reasoning_content": {"text": "The user wants a reminder.",
                                                                       "signature": "sig"}}, "bedrock_converse")
    assert sent == [(ME, "Remember the dentist at 4pm.")], "an honest Bedrock thinking turn blinded the thread"
