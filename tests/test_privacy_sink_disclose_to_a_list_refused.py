"""A sink declaring an argument disclosed to a list of recipient arguments is accepted and crashes the run later.

`privacy_sink(disclose={"body": ["to", "cc"]})` reads naturally (the body goes to `to` and `cc`), but
`disclose` maps each argument to one recipients argument. The decorator accepts it; the first model turn
of an agent with the privacy guard then ends in `TypeError: unhashable type: 'list'` from
`guards/_privacy.py` (the flow's lint), raised out of the graph's model node, naming neither the tool nor
the declaration. `refers` alike takes any value.

Why it matters. Misuse should be refused where it is written, with a clear error (commit adf177b's rule;
docs/privacy.md: misuse is a `TypeError`/`ValueError`/`VfaError` naming what is wrong), not at the first run.

Expected. `privacy_sink` raises `TypeError` (or a `VfaError`) naming `disclose` when a value is no text.

Fixed: `privacy_sink` refuses a `disclose` or `refers` that is no mapping of names to one name, with a `TypeError`.
"""

from __future__ import annotations

import pytest

from guards import privacy_sink
from vfa import VfaError


@pytest.mark.parametrize("kw", [{"disclose": {"body": ["to", "cc"]}}, {"disclose": {"body": None}},
                                {"disclose": {1: "to"}}, {"refers": {"email_id": ["email"]}},
                                {"disclose": ["body"]}], ids=repr)
def test_privacy_sink_refuses_a_declaration_of_the_wrong_kind(kw: dict) -> None:
    with pytest.raises((TypeError, ValueError, VfaError), match="disclose|refers"):
        privacy_sink(**kw)


def test_control_a_declaration_of_names_is_taken() -> None:
    privacy_sink(disclose={"body": "to", "note": "cc", "post": "*"}, refers={"email_id": "email"}, authority=["to"])
