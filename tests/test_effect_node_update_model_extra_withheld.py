"""An effect node's update holding a value behind a handle in an extra field of a pydantic model (one whose
config allows extra fields) writes it to the checkpoint in clear.

Set up as in `test_effect_node_update_rich_values_withheld.py`: a person approves mailing the SSN the model
holds as a handle; the app's effect node `mail_me` records what it sent in its update. docs/existing-apps.md: "its update is
written to the state with each such value as its handle", and graphs/_retrofit.py `_withheld` now rebuilds a
pydantic model with each field withheld. It walks `model_fields` only: a model with `extra="allow"` (a record
built from a payload with more keys than it names) keeps each extra field as it is, so the SSN in one reaches
the checkpoint, the streams and the next model turn in clear, while the same value in a declared field is
withheld.

What must hold: no value behind a handle reaches the state in clear from any field of a pydantic model,
declared or extra; the model keeps its type and its extra field.

Fixed: graphs/_retrofit._withheld walks a model's extra fields too, and model_copy puts them back as extras.
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel, ConfigDict

import test_effect_node_update_rich_values_withheld as rich


class SentRecord(BaseModel):
    model_config = ConfigDict(extra="allow")
    to: str


def test_an_extra_field_of_a_pydantic_model_holds_no_value_behind_a_handle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(rich.LOGS, "extra", lambda body: SentRecord(to=rich.USER, body=body))
    sent, log, values = rich._run("extra")
    assert sent == [rich.SSN], "control: the effect gets the value behind the handle"
    assert type(log) is SentRecord and "body" in (log.model_extra or {})
    assert rich.SSN not in repr(values), f"the SSN reached the checkpoint in clear: {log!r}"
    assert "«ssn:" in log.model_extra["body"]
