"""`compute`: a tool of pure operations on values the model may hold only as handles (cut, reformat,
compare), so a task that needs a private value worked on can be done without the model reading it."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from ._forms import _token_numbers
from ._privacy_decl import privacy_sink, privacy_source

Op = Literal["slice", "digits", "replace", "lower", "upper", "strip", "length", "contains",
             "eq", "ne", "lt", "le", "gt", "ge"]
"""The operations `compute` offers: a closed set."""

MAX_RESULT = 1 << 16
"""A result longer than this many characters is refused (a `replace` may grow a text)."""

_TESTS = {"eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
          "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b}


def _number(value: object) -> Decimal | None:
    """`value` as a finite number when it is one, or a text of one token that writes one as an amount is
    written ("4,210.75", "$950", "1.200,50", "1'200.50"), else None; exact (never a float, which an int
    past 1.8e308 overflows and two ints past 2**53 share; a float is the decimal it writes)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        n = Decimal(value)
    elif isinstance(value, float):  # the decimal it writes, as the amount it was read from: 1234.1, never 1234.0999…
        n = Decimal(float.__repr__(value))
    elif isinstance(value, str) and len(value.split()) == 1:
        read = _token_numbers(value)
        if len(read) != 1:
            return None
        n = Decimal(read.pop())
    else:
        return None
    return n if n.is_finite() else None


def _text(value: object) -> str:
    """`value` as the text an operation works on (a number as Python writes it)."""
    return value if isinstance(value, str) else str(value)


@privacy_sink(internal=["value", "op", "operand", "start", "end", "new"])  # computed here: nothing leaves
@privacy_source(pure=True)
def compute(value: str | int | float, op: Op, operand: str | int | float | None = None, start: int | None = None,
            end: int | None = None, new: str = "") -> str | int | bool:
    """Work on a value without reading it; pass a handle as `value` and get the result as a handle.

    op: "slice" (characters start..end, Python-style, e.g. start=-4 for the last four), "digits" (only the
    digits), "replace" (each `operand` by `new`), "lower", "upper", "strip", "length", "contains"
    (whether `operand` occurs in it), or a comparison with `operand`: "eq", "ne", "lt", "le", "gt", "ge"
    (as numbers when both read as numbers, else as texts).
    """
    # Every operation is total on a value of up to MAX_RESULT characters: it fails only on how the call
    # is written, so its failure tells the model nothing it did not write (a result past it: one bit).
    if op == "slice":
        out: str | int | bool = _text(value)[start:end]
    elif op == "digits":
        out = "".join(c for c in _text(value) if c.isdigit())
    elif op == "replace":
        if not isinstance(operand, str) or not operand:
            raise ValueError("compute: 'replace' needs a non-empty text `operand` (what to replace)")
        text = _text(value)
        if len(text) + text.count(operand) * max(0, len(new) - len(operand)) > MAX_RESULT:
            raise ValueError(f"compute: the result would be longer than {MAX_RESULT} characters")
        out = text.replace(operand, new)
    elif op in ("lower", "upper", "strip"):
        out = getattr(_text(value), op)()
    elif op == "length":
        out = len(_text(value))
    elif op == "contains":
        if operand is None:
            raise ValueError("compute: 'contains' needs an `operand` (what to look for)")
        out = _text(operand) in _text(value)
    elif op in _TESTS:
        if operand is None:
            raise ValueError(f"compute: {op!r} needs an `operand` (what to compare with)")
        a, b = _number(value), _number(operand)
        out = _TESTS[op](a, b) if a is not None and b is not None else _TESTS[op](_text(value), _text(operand))
    else:
        raise ValueError(f"compute: unknown op {op!r}; one of {', '.join(Op.__args__)}")
    if isinstance(out, str) and len(out) > MAX_RESULT:
        raise ValueError(f"compute: the result would be longer than {MAX_RESULT} characters")
    return out
