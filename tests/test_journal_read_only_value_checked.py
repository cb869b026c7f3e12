"""`EffectJournal(read_only=...)` takes False, True or "snapshot"; any other value is refused, naming it.

What must hold (house rule: bad input gets a clear error naming the problem): a typo such as "snapshots" was
truthy, so it silently opened a live reader instead of the snapshot the caller asked for.
"""

from __future__ import annotations

import pytest

from vfa import EffectJournal


@pytest.mark.parametrize("value", ["snapshots", "yes", 1, 0, None, "", 1.0])
def test_any_other_read_only_value_is_refused_naming_it(tmp_path, value):
    path = tmp_path / "j.db"
    EffectJournal(path).close()
    with pytest.raises(ValueError, match="read_only must be False, True or \"snapshot\"") as err:
        EffectJournal(path, read_only=value)
    assert repr(value) in str(err.value)


@pytest.mark.parametrize("value", [False, True, "snapshot"])
def test_the_three_values_open(tmp_path, value):
    path = tmp_path / "j.db"
    EffectJournal(path).close()
    with EffectJournal(path, read_only=value) as journal:
        assert journal.entries() == []
