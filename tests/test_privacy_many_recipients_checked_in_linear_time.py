"""Red team 118: the privacy guard's cut-across-calls check is quadratic in a call's recipients.

Input: a thread on which something private was read in clear (a mail body, `handle=False`: value tracking
is on, as it is on any thread where a tool failed, its error text being tracked) and something was
published earlier (a web search: its query goes to everyone). The model, steered by an injection, then
writes one `send_email` whose `to` lists N addresses (5,000 fit in the 64 KiB argument limit).

`PrivacyGuard._across_calls` loops over every recipient and, for each, calls
`flow.content_label([*earlier, *texts])` with *all* the texts that recipient receives now, and the `to`
argument itself is among them (it is disclosed to its recipients). Every recipient has the same earlier
texts (only the published query), so the same work is done N times over an argument of size ~N: time
grows as N². Measured on a 2-core machine: 100 recipients 0.09 s, 1,000 recipients 4 s, 5,000 recipients
193 s, all inside the inline privacy guard, which has no deadline (docs/privacy.md "Set-up": its work is bounded
by the labelling). One 54 KB argument holds a guard node for three minutes. `_values` (the "ask" policy's
digests) has the same per-recipient loop once `earlier` is non-empty.

The test counts the characters `content_label` reads during the one check of a 600-recipient call and
asks that it stay within a small multiple of the call's own size (today it is ~600 times its size).

Fixed: `_across_calls` reads each distinct list of earlier texts once (`content_label` and
`_formed_across` memoised by it within the audience), and keeps the recipients already named in a set;
`_values` shares a recipient's digests with those who receive the same arguments after the same earlier
texts. 5,000 recipients: 0.06 s for the whole run (193 s before).

Where (suggested): in `PrivacyGuard._across_calls` (guards/_privacy.py), group the recipients by what they received
before (`_earlier_for` gives most of them the same list) and label each distinct (earlier, texts) once,
as `_values` already shares work between recipients of the same arguments (`by_args`); the same in
`_values` when `earlier` is non-empty.
"""

from __future__ import annotations

import json
from typing import Any

from _turns import by_turn
from langchain_core.messages import HumanMessage, ToolMessage

from guards import PrivacyFlow, PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent, effect
from vfa.testing import ScriptedModel

ME = "me@home.example"
RECIPIENTS = 600


@privacy_source(private=["body"], handle=False, kind="mail")
def read_mail() -> dict:
    """Read the user's mail."""
    return {"from": "bob@x.example", "body": "The code word for the vault is heliotrope banana seventeen"}


@privacy_sink(disclose={"query": "*"})
@privacy_source(untrusted=True)
def search_web(query: str) -> str:
    """Search the web."""
    return "no results"


@privacy_sink(disclose={"body": "to"})
@privacy_source()
@effect
def send_email(to: str, body: str) -> str:
    """Send an e-mail."""
    return "sent"


def test_a_call_to_many_recipients_is_checked_in_time_linear_in_its_size(monkeypatch: Any) -> None:
    read: list[int] = []
    label = PrivacyFlow.content_label

    def counting(self: PrivacyFlow, texts: Any, *a: Any, **kw: Any) -> Any:
        texts = list(texts)
        read.append(sum(len(t) for t in texts))
        return label(self, texts, *a, **kw)

    monkeypatch.setattr(PrivacyFlow, "content_label", counting)
    to = ",".join(f"u{i}@x.io" for i in range(RECIPIENTS))
    args = {"to": to, "body": "See you all at the meeting"}
    rule = by_turn(("read_mail", {}, "m0"), ("search_web", {"query": "weather in Lisbon"}, "s0"),
                   ("send_email", args, "e0"))
    flow = PrivacyFlow(PrivacyPolicy.of(ME), secret=b"rt118")
    app = Agent(ScriptedModel(rule=rule), [read_mail, search_web, send_email], guards=[flow.guard()], flow=flow).compile()
    out = app.invoke({"messages": [HumanMessage("mail everyone on the list")]}, {"configurable": {"thread_id": "t"}})
    assert any(isinstance(m, ToolMessage) and m.tool_call_id == "e0" for m in out["messages"])
    size = len(json.dumps(args))
    assert sum(read) <= 20 * size, (f"content_label read {sum(read):,} characters in {len(read)} calls to check one "
                                    f"call of {size:,}")
