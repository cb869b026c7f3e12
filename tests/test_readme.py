"""Every Python snippet in the README runs, and prints what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def snippets() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    return [b for b in blocks if not b.startswith("# fragment")]  # fragments of a user's own app


def test_readme_snippets_run_and_print_what_they_claim():
    blocks = snippets()
    assert blocks, "the README has no Python snippet"
    for code in blocks:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            exec(compile(code, str(README), "exec"), {"__name__": "readme"})
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        printed = buf.getvalue().splitlines()
        for line in expected:
            assert line in printed, f"README claims {line!r}, printed {printed}"
