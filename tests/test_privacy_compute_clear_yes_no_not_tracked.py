"""Red team 93 (false denial): in the default mode, a comparison computed on a value the model read in
clear is tracked as a private value "true" / "false", so every later argument holding those letters
(even across words: "it rue", "construe") is denied to anyone but the value's readers.

Honest use (a flow without handles, or a tool that shows the balance in clear): "Tell me whether my
balance is above 4000, and tell Bob it's true that dinner is at 8." The model asks
compute(value="4210.75", op="gt", operand=4000), shown `true`, mails the user, then writes Bob
"It is true: dinner at 8." That mail is denied: "body carries data from profile.balance".

Why: the pure-tool rule (`_Results.record`, `pure=True` with a private input) labels the result
with the inputs' readers and `_derived(hide=False)` tracks its text by value (`_track`), and the
normal form "true" has MIN_TRACKED (4) characters, so it is a tracked value found as a substring of
any argument's normal form. One bit is tracked as if it were the value.

Correct behaviour: a result of a comparison (a bool) or of a length (a small int) is not tracked as
a text any later argument may hold; the mail to Bob is sent (what the model could say about the
balance in clear is the documented residual of the default mode, not a reason to deny "true").

Fixed: a yes or no a pure tool computes is not tracked as a private value (`_Results.record`).
"""

from __future__ import annotations

import re

from _mail import message_send
from _turns import turn_and_last
from langchain_core.messages import HumanMessage

from guards import PrivacyFlow, compute
from guards._privacy_decl import PrivacyPolicy, privacy_sink, privacy_source
from vfa import Agent
from vfa.testing import ScriptedModel

USER, BOB = "me@home.example", "bob@family.example"


def test_a_clear_comparison_does_not_make_the_word_true_private():
    sent: list[dict] = []

    @privacy_sink()
    @privacy_source(private=["balance"], handle=False, kind="account")
    def get_balance() -> dict:
        """The user's balance (shown in clear)."""
        return {"balance": 4210.75}

    send = message_send(sent)

    def step(messages):
        done, last = turn_and_last(messages)
        if done == 0:
            return ("get_balance", {})
        if done == 1:
            return ("compute", {"value": re.search(r'"balance": ([\d.]+)', last).group(1), "op": "gt", "operand": 4000})
        if done == 2:
            return ("send", {"to": [USER], "body": f"Balance above 4000: {last}"})
        if done == 3:
            return ("send", {"to": [BOB], "body": "It is true: dinner at 8."})
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"t")
    app = Agent(ScriptedModel(rule=step), [get_balance, compute, send], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("Tell me whether my balance is above 4000, and tell Bob it's true "
                                          "that dinner is at 8.")]}, {"configurable": {"thread_id": "t"}})
    assert {"to": [USER], "body": "Balance above 4000: true"} in sent
    assert {"to": [BOB], "body": "It is true: dinner at 8."} in sent
