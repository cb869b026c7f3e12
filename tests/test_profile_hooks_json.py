"""Red team 142: `benchmarks.privacy.profile_hooks` takes no `--json PATH`, which the README says each benchmark takes.

README ("Layout"): "`benchmarks` | `python -m benchmarks.overhead` and the others; each takes `--json
PATH`", and `benchmarks/__init__.py`: "each `main(argv)` prints its table and writes its headline
figures with `--json PATH`". `python -m benchmarks.privacy.profile_hooks --json out.json` (the tool the
"Performance" section quotes its hook timings from) stops with "unrecognized arguments: --json", so
its figures can only be copied from its printout.

Fixed: `profile_hooks` takes `--json PATH` (checked before the run) and writes its per-hook figures and
fingerprints.
"""

from __future__ import annotations

import json

from benchmarks.privacy import profile_hooks


def test_profile_hooks_writes_its_figures_with_json(tmp_path):
    out = tmp_path / "hooks.json"
    assert profile_hooks.main(["--repeats", "1", "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["total_us_per_task"] > 0
    assert set(figures["us_per_task"]) == {"label", "resolve", "observe", "check"}
