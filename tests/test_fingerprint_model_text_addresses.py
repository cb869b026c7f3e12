"""A call's fingerprint tells apart arguments the model wrote, whatever text they hold.

What must hold (README, exactly once: a model reusing an id for another call is refused, "call id ... was already
used on this thread for another call", never answered from the journal with the old call's outcome): the
fingerprint that tells a reused id apart (`vfa/_guard_node.py` `_fingerprint`) reads the arguments as the model
gave them. `vfa._jsontext.unaddressed` was applied to the whole JSON text, model-written strings included, so two
calls differing only in a string that looks like a repr's address (`"<acct at 0x1>"`, `"<acct at 0x2>"`: text,
not an object) had one fingerprint: the second, under the first's id, was answered from the journal as a replay,
its effect never run though the model was told it was done. A journal written before the change is read alike
(its fingerprints of such text were of the text as written).

Only the reprs written for values JSON cannot carry (an object's default repr) may lose their addresses.

Fixed: only the reprs written for values JSON cannot carry lose their address (the fingerprint re-encodes with
them unaddressed only where ' at 0x' appears; a plain call's id uses an unaddressed repr as its default); text
the model wrote is the call's as written.
"""

from __future__ import annotations

from vfa import GuardNode, effect


def test_an_id_reused_for_text_differing_only_in_an_address_like_part_is_refused() -> None:
    """Expected: the second call (another recipient's text) is refused as a reused id, not replayed."""
    sent: list[str] = []

    @effect
    def send(to: str) -> str:
        """Send to an account."""
        sent.append(to)
        return f"sent to {to}"

    node = GuardNode([send])
    first = node.handle({"name": "send", "args": {"to": "<acct at 0x1>"}, "id": "c1"}, {}, "t")
    other = node.handle({"name": "send", "args": {"to": "<acct at 0x2>"}, "id": "c1"}, {}, "t")
    assert first.content == "sent to <acct at 0x1>"
    assert other.status == "error" and "already used on this thread for another call" in other.content, (
        f"another call under a reused id was answered from the journal: {other.content!r}")
    assert sent == ["<acct at 0x1>"]

