"""JSON text from the C encoder directly: the same text as `json.JSONEncoder.encode`, fewer steps.

`JSONEncoder.encode` builds its C encoder anew on every call, in Python; the journal, the guard
node and the privacy flow encode a value per proposal and per result, so the encoder is built once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

__all__ = ["json_text", "unaddressed"]


def json_text(*, ensure_ascii: bool = True, default: Callable[[Any], Any] | None = None,
              separators: tuple[str, str] = (", ", ": ")) -> Callable[[Any], str]:
    """A function giving what `json.JSONEncoder(...).encode` gives for these options (a value JSON
    cannot hold raises TypeError without `default`; a circular one ValueError)."""
    std = json.JSONEncoder(ensure_ascii=ensure_ascii, default=default, separators=separators)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # no C accelerator (another Python): the standard encoder
        return std.encode
    strings = json.encoder.encode_basestring_ascii if ensure_ascii else json.encoder.encode_basestring
    # no circular-reference markers: a dict of them shared between calls (and threads) would report
    # false cycles; a real cycle recurses until RecursionError, and the standard encoder names it
    chunks = make(None, std.default, strings, None, separators[1], separators[0], False, False, True)
    join = "".join

    def encode(value: Any) -> str:
        if value.__class__ is str:
            return strings(value)
        try:
            return join(chunks(value, 0))
        except RecursionError:
            return std.encode(value)

    return encode


_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def unaddressed(text: str) -> str:
    """`text` without the memory addresses a default repr writes (`<Bank object at 0x7f..>` as `<Bank object>`):
    what identifies a call (its id, its fingerprint) must be the same when its task runs again on objects made
    anew (a connection opened per run), which a repr's address never is."""
    return _ADDRESS.sub(">", text) if " at 0x" in text else text
