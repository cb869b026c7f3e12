"""Declaring a subclass's inherited classmethod never silently declares its base class's.

`DryOutbox.send` (a classmethod `DryOutbox` inherits from `Outbox`) is a bound method whose function is
`Outbox`'s: `annotate` refuses to declare an instance's bound method for that reason (its class's function is
every instance's), but a method bound to a class passed, and `privacy_sink(internal=[...])(DryOutbox.send)`
wrote on `Outbox.send`'s function, so the real outbox's tool was declared a sink that discloses to nobody.

What must hold: after declaring `DryOutbox.send`, `Outbox.send` declares what it declared before (nothing),
or the declaration is refused (`ConfigError`) where it is made; a classmethod declared where its class
defines it is declared as before.

Fixed: vfa._effects.annotate refuses (ConfigError) a classmethod reached through a class that does not define
it.
"""

from __future__ import annotations

from guards import privacy_sink
from guards._privacy_decl import sink_of
from vfa import ConfigError, ToolSpec


class Outbox:
    @classmethod
    def send(cls, to: str, body: str) -> str:
        """Send a mail."""
        return "sent"


class DryOutbox(Outbox):
    """Keeps what it is given."""


class Archive:
    @classmethod
    def store(cls, body: str) -> str:
        """Store a text."""
        return "stored"


def test_a_subclass_declaration_is_not_its_base_classes():
    try:
        privacy_sink(internal=["to", "body"])(DryOutbox.send)
    except ConfigError:
        pass  # refused where it was made
    assert sink_of(ToolSpec.of(Outbox.send).meta) is None, ToolSpec.of(Outbox.send).meta


def test_a_classmethod_declared_where_its_class_defines_it():
    privacy_sink(internal=["body"])(Archive.store)
    assert sink_of(ToolSpec.of(Archive.store).meta).internal == frozenset({"body"})
