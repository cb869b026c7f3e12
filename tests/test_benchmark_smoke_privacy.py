"""Smoke test of `vfa bench privacy --quick`: it runs, writes its JSON, and meets the safety target."""

from __future__ import annotations

import json

from benchmarks.privacy.run import main


def test_quick_privacy_benchmark(tmp_path, capsys):
    path = tmp_path / "privacy.json"
    assert main(["--quick", "--json", str(path), "--repeats", "1"]) == 0
    figures = json.loads(path.read_text())
    for key in ("asr_unguarded", "asr_guarded", "utility_unguarded", "utility_guarded", "utility_ratio_guarded",
                "label_overhead_ratio", "label_overhead_ratio_checkpointed"):
        assert isinstance(figures[key], float), key
    assert figures["asr_unguarded"] == 1.0 and figures["asr_guarded"] == 0.0
    assert figures["utility_unguarded"] == 1.0 and figures["utility_guarded"] > 0.5
    assert "attack success rate" in capsys.readouterr().out
