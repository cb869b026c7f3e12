"""`vfa demo` prints a pending question as printable text: a question a guard words may quote what a tool
returned, and a terminal escape or a line break in it would reach the user's terminal as written."""

from types import SimpleNamespace

from vfa.cli import _asked


def test_a_question_with_escapes_is_printed_escaped() -> None:
    text = _asked(SimpleNamespace(value={"question": "pay bob?\x1b[2J\nreally"}))
    assert "\x1b" not in text and "\n" not in text and "pay bob?" in text


def test_a_question_that_is_no_text_is_printed_by_its_repr() -> None:
    assert _asked(SimpleNamespace(value={"question": 5})) == "5"
    assert _asked(SimpleNamespace(value="approve?")) == "approve?"
