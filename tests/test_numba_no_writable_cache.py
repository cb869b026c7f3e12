"""The numba kernels work where no cache directory is writable (a read-only install, no writable home).

Kernels are compiled with `cache=True`. Numba looks for a writable place for its cache (NUMBA_CACHE_DIR,
the package's own `__pycache__`, the user's cache directory) when each kernel is *decorated*, and where
it finds none it raises `RuntimeError: cannot cache function '_box_box': no locator available`, at the
import of `guards._numba`: every collision check and invariant then fails (a deny for every motion,
for a reason that is not the motion's). Such places are common: a package installed read-only into a
container image run as another user, a serverless runtime whose home is read-only. What must hold: the
kernels still run (compiled in memory, without the disk cache) and give the same answers.

The test makes every cache location unusable without root's help: the copied package's `__pycache__`,
NUMBA_CACHE_DIR and the home's cache directory all lie at or below a regular file, so numba cannot
create them (even as root), as a read-only file system would refuse them.

Fixed: guards/_numba/_jit.py compiles a kernel in memory when numba finds no writable cache directory, warning
once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import guards, os
assert guards.__file__.startswith(os.environ["PYTHONPATH"]), guards.__file__
import numpy as np
from guards import Always, Monotonic, check_trace, first_contact, state
hit = first_contact(np.array([[[0, 0, 1, 1]], [[5, 0, 6, 1]]], float), np.array([[2, 0, 3, 1]], float))
assert hit is not None and hit.frame == 0 and abs(hit.toi - 0.2) < 1e-12, hit
assert first_contact(np.array([[[0, 0, 1]], [[0, 5, 1]]], float), np.array([[9, 9, 1]], float)) is None
trace = {"score": [0.0, 1.0, 0.5], "alive": [1.0, 1.0, 0.0]}
found = check_trace(trace, [Monotonic("score"), Always(state("alive") > 0)])
assert [v.frame for v in found] == [2, 2], found
print("ok")
"""


def _unusable(tmp: Path) -> dict[str, str]:
    blocker = tmp / "not-a-directory"
    blocker.write_text("")
    return {"NUMBA_CACHE_DIR": str(blocker / "numba"), "HOME": str(blocker / "home"),
            "XDG_CACHE_HOME": str(blocker / "cache")}


def test_kernels_run_without_a_writable_cache_directory(tmp_path: Path) -> None:
    pkg = tmp_path / "site"
    for name in ("vfa", "guards", "graphs"):
        shutil.copytree(ROOT / name, pkg / name, ignore=shutil.ignore_patterns("__pycache__"))
    for d in (pkg / "guards" / "_numba", pkg / "guards", pkg / "vfa", pkg / "graphs"):
        (d / "__pycache__").write_text("")  # the in-tree cache cannot be made here
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NUMBA_", "PYTHON"))}
    env.update(_unusable(tmp_path), PYTHONPATH=str(pkg), PYTHONDONTWRITEBYTECODE="1")
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=tmp_path, capture_output=True, text=True,
                         timeout=600)  # cwd: `-c` puts it first on the path, so the copy is what is imported
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-2000:]
    assert run.stderr.count("NUMBA_CACHE_DIR") == 1, run.stderr[-2000:]  # said once, naming the fix
