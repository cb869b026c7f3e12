"""A person's words sent as a text block of another kind than "text" (the Responses API's
`input_text`, Bedrock's `{"text": ...}`) are read as the block's JSON, so a value they end a line with
grounds nothing.

`_message_text` reads the text of `{"type": "text"}` blocks as written, and every other block as
`json.dumps(block)`: a line break the person typed becomes the two characters `\\n`, glued to the word before
it. "change my password to Blue-Harbor-77<newline>Thanks!" sent as an `input_text` block holds the token
`Blue-Harbor-77\\nThanks!"}`, never `Blue-Harbor-77`, so once the thread has read the inbox (untrusted) the
user's own password change is denied by `authority needs the user`, while the same words sent as a string or a
"text" block commit. The docs/privacy.md: a person's message sent as content blocks is read as its blocks' texts,
characters as written; the audit (`_recorded._said`) takes these kinds for the user's words too.

Expected: every text block a person sends is read as its text, whatever the provider calls it.

Fixed: `_forms._message_text` reads `input_text` and Bedrock's one-key `{"text": ...}` blocks as their text.
"""

from __future__ import annotations

from typing import Any

import pytest
from _turns import by_step
from langchain_core.messages import HumanMessage, ToolMessage

from benchmarks.privacy.world import POLICY, World
from guards import PrivacyFlow
from vfa import Agent
from vfa.testing import ScriptedModel

TEXT = "Read my inbox, then change my password to Blue-Harbor-77\nThanks!"


def _outcome(content: Any) -> tuple[World, str]:
    w = World()
    flow = PrivacyFlow(POLICY, secret=b"rt152-blocks")
    steps = [("read_inbox", {}), ("change_password", {"new_password": "Blue-Harbor-77"})]
    app = Agent(ScriptedModel(rule=by_step(steps)), w.tools(), guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage(content)]}, {"configurable": {"thread_id": "t"}})
    return w, [m for m in out["messages"] if isinstance(m, ToolMessage)][-1].artifact["vfa"]["outcome"]


@pytest.mark.parametrize("content", [
    [{"type": "input_text", "text": TEXT}],  # OpenAI's Responses API
    [{"text": TEXT}],  # Bedrock's Converse API: the kind named by the key
], ids=["input_text", "bedrock_text"])
def test_a_password_typed_in_a_text_block_of_another_kind_grounds_as_in_a_string(content: Any) -> None:
    assert _outcome(TEXT)[1] == "committed"  # the user's own words, as a plain string
    w, outcome = _outcome(content)
    assert outcome == "committed", "the same words sent as a text block were taken for untrusted content"
    assert w.password == "Blue-Harbor-77"
