"""Red team 93 (wrong result in honest use): `compute`'s comparisons misread amounts as banks and people
write them, silently, so a task that compares a balance gets the wrong answer.

`_number` drops every comma and calls `float`: "1.200,50" (1200.50 in most of Europe) reads as
1.2005, "1200,50" as 120050, and "1.200.000", "€4,210.75", "$4,210.75" or "4 210,75" are no
number at all and are compared as texts ("€4,210.75" < "5000" is False, since "€" sorts after "5").
The user who asks "Email me whether my balance is below 5000" about a balance shown as "€4,210.75"
is told False; one whose bank writes "1.200,50" asking "above 1000?" is told False.

The rest of the guard reads amounts in the marks of their locale where only one reading exists
(docs/privacy.md "Records and authority": 1,200.50, 1200,50, 1.200,50, 1.200.000 and 1'200.50;
`guards._forms._GROUPED`), and strips currency signs (`_amount_forms`). `compute` does neither.

Correct behaviour: an amount with a currency sign or in a locale's marks that has one reading is
compared as that number; one that has none is refused (a clear error), never compared as text.

Fixed: `compute` reads an amount of one token as the guard does elsewhere (`_forms._token_numbers`: currency signs, a locale's marks).
"""

from __future__ import annotations

import pytest

from guards import compute


@pytest.mark.parametrize(("value", "op", "operand"), [
    ("1.200,50", "gt", 1000),    # 1200.50, read as 1.2005
    ("1200,50", "lt", 5000),     # 1200.50, read as 120050
    ("1.200.000", "gt", 1000),   # 1200000, compared as text
    ("€4,210.75", "lt", 5000),   # compared as text: "€" sorts after "5"
    ("$4,210.75", "gt", 500),    # compared as text: "$" sorts before "5"
    ("1'200.50", "gt", 1000),    # Swiss, compared as text
])
def test_an_amount_is_compared_as_the_number_it_writes(value, op, operand):
    assert compute(value, op, operand=operand) is True
