"""`vfa.Verdict.__doc__` is typing's "Runtime representation of an annotated type.", not vfa's.

`Verdict` is exported and listed in `vfa.__all__`; `help(vfa.Verdict)` and every IDE hover show typing's
generic text for `Annotated[...]` aliases. `tests/test_exports.py` only checks that each public name has *a*
docstring, so this passes it while saying nothing about verdicts. The attribute docstring written under it in
`vfa/_verdict.py` ("Any verdict; a pydantic discriminated union ...") is what a user should read.

Fixed: `Verdict.__doc__` says what the union is.
"""

from __future__ import annotations

import pydantic

import vfa


def test_verdict_has_its_own_docstring():
    doc = (vfa.Verdict.__doc__ or "").strip()
    assert "annotated type" not in doc.lower(), doc
    assert "verdict" in doc.lower(), doc


def test_verdict_still_validates_as_the_union():
    adapter = pydantic.TypeAdapter(vfa.Verdict)
    assert isinstance(adapter.validate_python({"kind": "deny", "reason": "no"}), vfa.Deny)
