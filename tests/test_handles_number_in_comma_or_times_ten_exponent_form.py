"""A handled number read back in exponent form with a decimal comma ("8,43E+04", as a spreadsheet in a
German or French locale writes its scientific format) or as "8.43×10^4" is shown to the model in clear.

docs/privacy.md ("Bounded work"): a result's numbers are read "grouped as other locales group it" ("84.300", "84 300")
and "signed or in exponent form ("-84,300", "8.43E+04")", so a salary the model holds only as a handle
that a public tool reads back is shown as one handle. `_results._RAISED` reads an exponent form only with a
decimal point: "8,43E+04" becomes "8,43" and "04" (and "43E+04", 430000), "8.43×10^4" the numbers 8.43 and
104; neither is 84300, so the model reads the salary. Value tracking reads the ×10^ forms in arguments
(`_forms._EXPONENT`), so the two readings disagree.

Expected: each is shown as one handle, as "8.43E+04" is. Control: other numbers in those forms are shown.

Fixed: a result's numbers in exponent form are read with a decimal comma and as ×10^ (superscripts read
before digits are folded), as value tracking reads them.
"""

from __future__ import annotations

import pytest
from test_handles_number_shown_glued_signed_or_raised import _read_back


@pytest.mark.parametrize("shown_as", ["8,43E+04", "8,43E4", "salary=8,43E+04", "8.43×10^4", "8.43 x 10^4", "8.43·10⁴"])
def test_a_handled_salary_in_another_exponent_form_is_hidden(shown_as: str) -> None:
    shown = _read_back(84300, shown_as)
    assert shown_as not in shown, f"the model read the handled salary in clear: {shown!r}"


@pytest.mark.parametrize("shown_as", ["8,44E+04", "8.44×10^4", "1,5E3 and 2"])
def test_other_numbers_in_those_forms_are_shown(shown_as: str) -> None:  # the control
    assert shown_as in _read_back(84300, shown_as)
