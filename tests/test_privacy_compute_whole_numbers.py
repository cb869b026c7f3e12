"""Red team 93 (wrong result in honest use): a number the model writes into `compute` is validated by the
tool's schema (`str | float`) into a float, and `compute` works on its text "4000.0", so
`contains` with operand 4000 is False on a text that holds "4000", and a slice or `digits` of a
number written as 4210 works on "4210.0".

Honest use: "Tell me whether my rent note mentions 4000." The note's text is a handle; the model
asks compute(value=«note», op="contains", operand=4000) (a JSON number: the schema allows one) and
mails the user the result: "mentions 4000: False", though the note reads "Rent 4000 due Friday".

Why: `compute`'s `_text` is `str(value)` of what the schema gave it; pydantic's smart union turns
the int 4000 into 4000.0 (`str | float`), whose text gains ".0". The unit test calls the function
directly with an int, so it never sees this.

Correct behaviour: a whole number is worked on as written (4000, not 4000.0): the user is told True,
and compute(value=4210, op="slice", start=-2) is "10".

Fixed: `compute` types its value and operand `str | int | float`, so a whole number stays whole.
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

USER = "me@home.example"


def test_contains_a_number_and_slice_of_a_number_through_the_agent():
    sent: list[dict] = []
    shown: list[str] = []

    @privacy_sink()
    @privacy_source(private=["text"], kind="note")
    def read_note() -> dict:
        """The user's rent note."""
        return {"text": "Rent 4000 due Friday"}

    send = message_send(sent)

    def step(messages):
        done, last = turn_and_last(messages)
        if done == 0:
            return ("read_note", {})
        if done == 1:
            return ("compute", {"value": re.search(r"«[^»]+»", last).group(0), "op": "contains", "operand": 4000})
        if done == 2:
            return ("send", {"to": [USER], "body": f"mentions 4000: {last}"})
        if done == 3:
            return ("compute", {"value": 4210, "op": "slice", "start": -2})
        if done == 4:
            shown.append(last)
        return "done"

    flow = PrivacyFlow(PrivacyPolicy.of(USER), secret=b"t")
    app = Agent(ScriptedModel(rule=step), [read_note, compute, send], guards=[flow.guard()], flow=flow).compile()
    app.invoke({"messages": [HumanMessage("Tell me whether my rent note mentions 4000.")]},
               {"configurable": {"thread_id": "t"}})
    assert sent == [{"to": [USER], "body": "mentions 4000: True"}]
    assert shown == ["10"]
