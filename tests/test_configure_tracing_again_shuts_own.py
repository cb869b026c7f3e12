"""`configure_tracing()` called again with the global provider's settings still shuts down vfa's own provider.

What must hold (`configure_tracing`'s docstring: "Called again, it shuts down the provider an earlier
`set_global=False` call made (its spans written out)"): after `configure_tracing(a)`,
`configure_tracing(b, set_global=False)` and `configure_tracing(a)` again, the provider of the second call is
shut down (its spans in `b`, its worker ended) and vfa's spans go to the global provider.

Before: the early return this session added for a call repeating the global provider's settings skipped the
shutdown: the `set_global=False` provider stayed running (its batch worker, its open file, its spans unwritten
until the process exits) and stayed `_state.owned`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys
from vfa import Agent, configure_tracing, effect
from vfa import _tracing
from vfa.testing import ScriptedModel

@effect
def ping(n: int) -> str:
    '''Ping.'''
    return "pong"

first = configure_tracing(sys.argv[1])
own = configure_tracing(sys.argv[2], set_global=False)
Agent(ScriptedModel([("ping", {"n": 1}), "ok"]), [ping], name="pinger").compile().invoke({"messages": [("user", "go")]})
again = configure_tracing(sys.argv[1])
with open(sys.argv[2]) as f:
    written = [json.loads(line)["name"] for line in f if line.strip()]
print(json.dumps({"same": again is first, "owned": _tracing._state.owned is not None, "written": written}))
"""


def test_configure_tracing_again_shuts_down_the_provider_of_its_own(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env["PYTHONPATH"] = str(ROOT)
    env["OTEL_BSP_SCHEDULE_DELAY"] = "600000"  # nothing written by the batch worker's timer: only a shutdown writes
    own_file = tmp_path / "own.jsonl"
    proc = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path / "trace.jsonl"), str(own_file)], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["same"] is True
    assert out["owned"] is False
    assert "invoke_agent pinger" in out["written"]
