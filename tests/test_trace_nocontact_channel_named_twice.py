"""A contact invariant naming one shape channel twice does not read each entity as touching itself.

`NoContact("robots", "robots")` (and `contact("robots", "robots")`) compared the channel with itself as
two groups, so entity i was paired with entity i, which always overlaps: every run, however far apart
the robots stay, was denied with "robots[0] touches robots[0]" (and an `After(contact(...))` fired at
every frame). The docstring's meaning for one channel, "two entities of `a` never touch", is what
`NoContact("robots")` checks. What must hold: the declaration is refused where it is written with a
SceneError saying to name the channel once, as other declaration mistakes are.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import NoContact, SceneError, Trace, check_trace, contact

ROBOTS = np.array([[[0, 0, 1, 1], [5, 5, 6, 6]]] * 3, float)  # two robots, far apart, standing still


def test_one_channel_alone_is_clean() -> None:
    assert check_trace(Trace(robots=ROBOTS), [NoContact("robots")]) == []


@pytest.mark.parametrize("declare", [
    lambda: NoContact("robots", "robots"),
    lambda: NoContact("robots", "robots", swept=False),
    lambda: contact("robots", "robots"),
])
def test_a_channel_named_twice_is_refused_when_declared(declare) -> None:
    with pytest.raises(SceneError, match="robots.*once"):
        declare()
