"""Exactly-once across a crash needs `durability="sync"`; the README's summary dropped it.

The README's "Exactly-once effects" says "Replayed after an interrupt or a crash, a committed effect
returns its recorded result". docs/kernel.md ("Exactly-once effects") is the reference and states the
limit a production user must know: under LangGraph's default durability ("async"), an effect that
committed and whose checkpoint was then lost (a crash between the commit and the checkpoint's write)
runs again when the model proposes it under a new id: "use `durability="sync"` for effects that must
never repeat". `tests/test_exactly_once_commit_lost_with_checkpoint.py` pins that limit (xfail, strict)
and says "the README states" it: after the restructure only docs/kernel.md did. What must hold: under
the default the transfer is paid twice, under "sync" once, and the README's summary says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from _lost_checkpoint import child, ledger

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


@pytest.mark.parametrize("durability,paid", [("async", ["bob 7", "bob 7"]), ("sync", ["bob 7"])])
def test_a_commit_lost_with_its_checkpoint_repeats_unless_durability_is_sync(tmp_path: Path, durability: str,
                                                                             paid: list[str]) -> None:
    child(tmp_path, "after", durability)  # killed once the transfer committed, before its checkpoint was saved
    assert ledger(tmp_path) == ["bob 7"]
    child(tmp_path, "again", durability)
    assert ledger(tmp_path) == paid


def test_the_readme_summary_names_the_durability_exactly_once_needs() -> None:
    bullet = README.split("- **Exactly-once effects.**", 1)[1].split("\n- **", 1)[0]
    assert 'durability="sync"' in bullet, bullet
