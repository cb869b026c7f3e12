"""A journal that counts the rows its readers are handed: work measured as rows read, not as time."""

from __future__ import annotations

from vfa import EffectJournal


class CountingJournal(EffectJournal):
    """An `EffectJournal` (in memory, or at a path) counting the rows its `entries` hand out."""

    rows = 0

    def entries(self, *args, **kwargs):
        out = super().entries(*args, **kwargs)
        self.rows += len(out)
        return out
