"""A clean Bedrock Converse log is reported, as if a provider's tool had run in every turn.

`trace_from_messages` reads Bedrock's `toolUse` blocks as calls (`guards/_recorded.standard`), but it also hands
every model turn to `provider_ran`, whose allow-list of the model's own blocks (`_MODEL_BLOCKS`) knows blocks
by their "type" only. Bedrock's blocks name their kind by their one key (`{"text": ...}`, `{"toolUse": ...}`,
`{"reasoningContent": ...}`), and LangChain's translator leaves them `non_standard`, so each is taken for a
tool the provider ran: an "unobserved" result before every call, after which every argument is labelled
private to the user and untrusted. A mail to Bob, at the address the user typed, saying the words the user
typed, is reported three times over (`to`, `subject`, `body`), where the same conversation in Anthropic's form
is clean.

What must hold: the Bedrock form audits as the Anthropic form does (nothing reported), and a Bedrock turn's
own blocks are no provider's tool; a block of no kind the model writes still is (fail closed).

Fixed: provider_ran takes a Bedrock block naming its kind by its one key (text, toolUse, reasoningContent,
media) for the model's own.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage

from benchmarks.privacy.world import BOB, POLICY, World
from guards import audit_trace, trace_from_messages
from guards._threads import provider_ran

ASK = f"Please mail {BOB} with the subject Lunch, saying: Lunch on Friday?"
SEND = {"to": [BOB], "subject": "Lunch", "body": "Lunch on Friday?"}


def _bedrock() -> list[dict[str, Any]]:
    return [{"role": "user", "content": [{"text": ASK}]},
            {"role": "assistant", "content": [
                {"reasoningContent": {"reasoningText": {"text": "The user wants a mail.", "signature": "s"}}},
                {"text": "Sending it."},
                {"toolUse": {"toolUseId": "tooluse_1", "name": "send_email", "input": SEND}}]},
            {"role": "user", "content": [{"toolResult": {"toolUseId": "tooluse_1", "content": [{"text": "sent"}]}}]},
            {"role": "assistant", "content": [{"text": "Done."}]}]


def _anthropic() -> list[dict[str, Any]]:
    return [{"role": "user", "content": ASK},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "The user wants a mail.", "signature": "s"},
                {"type": "text", "text": "Sending it."},
                {"type": "tool_use", "id": "toolu_1", "name": "send_email", "input": SEND}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_1", "content": "sent"}]},
            {"role": "assistant", "content": [{"type": "text", "text": "Done."}]}]


def _found(log: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    return [(v.tool, v.rule, v.arg) for v in audit_trace(trace_from_messages(log), World().tools(), POLICY)]


def test_control_the_anthropic_form_is_clean() -> None:
    assert _found(_anthropic()) == []


def test_the_bedrock_form_is_clean() -> None:
    trace = trace_from_messages(_bedrock())
    assert [e for e in trace if e["type"] == "unobserved"] == [], "a Bedrock turn's own blocks read as a provider's tool"
    assert _found(_bedrock()) == [], "the user's own mail to Bob, in Bedrock's form, is reported"


def test_a_block_of_no_known_kind_still_counts_as_a_providers_tool() -> None:
    turn = AIMessage([{"text": "Here."}, {"webSearchResult": {"content": "mallory@evil.example"}}])
    assert provider_ran(turn), "a block the model does not write read as its own"
