"""The echo rule reads what a call's arguments hold, not their names, at any depth.

0e11eb4 made `PrivacyFlow._echo` read the arguments' values only, never their names: a mail read by its `id` whose
body ends in a private word ending in "id" (the user's city, Madrid) had been taken for an argument completing it
(`tests/test_privacy_echo_public_id_no_false_denial.py`, the Madrid case). `_echo` leaves out the top-level names
only (`_strings_of(v)` for each value): `_strings_of` reads a mapping's keys as texts too, so an argument that is
an object (`ref: Ref`, a pydantic model with an `id` field: a tool's typed query) brings its schema's field
names back, and the same mail, read through
it, is narrowed to the user: replying to Bob quoting his own mail is denied.

What must hold: the reply to Bob goes, whether the id is given flat or inside an object.

Fixed: the echo rule reads an argument's values, never the field names of a typed object (_held_texts).
"""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from _echo_tools import reply_quoting, send_tool
from guards import privacy_sink, privacy_source

BOB = "bob@friends.example"


class Ref(BaseModel):
    """A reference to a mail."""

    id: str


@pytest.mark.parametrize("nested", [False, True])
def test_bobs_mail_ending_in_the_users_city_is_quoted_back_to_him(nested: bool) -> None:
    sent: list[tuple[str, str]] = []

    @privacy_sink()
    @privacy_source(private=["city"], handle=False, kind="profile")
    def get_profile() -> dict:
        """The user's profile."""
        return {"name": "Me", "city": "Madrid"}

    @privacy_sink(internal=["ref"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email")
    def read_mail(ref: Ref) -> dict:
        """One mail, by a reference ({"id": ...})."""
        return {"from": BOB, "body": "Sure, see you in Madrid"}

    @privacy_sink(internal=["id"])
    @privacy_source(private=["body"], readers_from=["from"], kind="email")
    def read_mail_by_id(id: str) -> dict:
        """One mail, by its id."""
        return {"from": BOB, "body": "Sure, see you in Madrid"}

    reader, args = (read_mail, {"ref": {"id": "m1"}}) if nested else (read_mail_by_id, {"id": "m1"})
    reply_quoting([get_profile, reader, send_tool(sent)], [("get_profile", {}), (reader.__name__, args)], BOB,
                  "You wrote: {}", r"«[^»]+»", b"echo-nested-names", "Reply to Bob quoting his mail.")
    assert [to for to, _ in sent] == [BOB], "Bob's own mail, ending in a word an argument's field name ends, was narrowed"
