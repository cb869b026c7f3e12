"""Collision benchmark: pair-checks per second for pure Python, vectorised NumPy and numba, and cold start.

    python benchmarks/collision.py [--quick] [--json PATH]

Every implementation does the same work per frame: for each mover box against each obstacle
box, decide contact (closed boxes), count the pairs in contact and find the first pair. Swept
adds the continuous check between consecutive frames (exact time of impact). The numba figures
are the general kernel the guards use (`guards._numba.contact_frames`), not a benchmark special.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BYTES_PER_CHECK = 2 * 4 * 8  # two float64 boxes, four coordinates each


def scene(frames: int, movers: int, obstacles: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Movers drifting at random velocities through static-size obstacles that also drift."""
    rng = np.random.default_rng(seed)

    def group(n: int, speed: float) -> np.ndarray:
        start = rng.uniform(0, 1000, (n, 2))
        vel = rng.uniform(-speed, speed, (n, 2))
        half = rng.uniform(1, 8, (n, 2))
        centers = start[None] + vel[None] * np.arange(frames)[:, None, None]
        return np.ascontiguousarray(np.concatenate([centers - half, centers + half], axis=2))

    return group(movers, 12.0), group(obstacles, 1.0)


# -- pure Python -------------------------------------------------------------------------------


def python_discrete(A: list, B: list) -> list[tuple[int, int, int]]:
    out = []
    for fa, fb in zip(A, B):
        count, first = 0, (-1, -1)
        for i, (ax0, ay0, ax1, ay1) in enumerate(fa):
            for j, (bx0, by0, bx1, by1) in enumerate(fb):
                if ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1:
                    if count == 0:
                        first = (i, j)
                    count += 1
        out.append((count, *first))
    return out


def python_swept(A: list, B: list) -> list[int]:
    out = []
    for f in range(len(A) - 1):
        count = 0
        for a0, a1 in zip(A[f], A[f + 1]):
            for b0, b1 in zip(B[f], B[f + 1]):
                lo, hi = 0.0, 1.0
                for g0, g1 in ((b0[2] - a0[0], b1[2] - a1[0]), (b0[3] - a0[1], b1[3] - a1[1]),
                               (a0[2] - b0[0], a1[2] - b1[0]), (a0[3] - b0[1], a1[3] - b1[1])):
                    d = g1 - g0
                    if d == 0.0:
                        if g0 < 0.0:
                            lo, hi = 1.0, 0.0
                    elif d > 0.0:
                        lo = max(lo, -g0 / d)
                    else:
                        hi = min(hi, -g0 / d)
                    if lo > hi:
                        break
                if lo <= hi:
                    count += 1
        out.append(count)
    return out


# -- vectorised NumPy --------------------------------------------------------------------------


def numpy_discrete(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = A[:, :, None, :], B[:, None, :, :]
    hit = (a[..., 0] <= b[..., 2]) & (b[..., 0] <= a[..., 2]) & (a[..., 1] <= b[..., 3]) & (b[..., 1] <= a[..., 3])
    flat = hit.reshape(len(A), -1)
    return flat.sum(axis=1), flat.argmax(axis=1)


def numpy_swept(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    a0, a1 = A[:-1, :, None, :], A[1:, :, None, :]
    b0, b1 = B[:-1, None, :, :], B[1:, None, :, :]
    lo = np.zeros(np.broadcast_shapes(a0.shape, b0.shape)[:3])
    hi = np.ones_like(lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        for g0, g1 in ((b0[..., 2] - a0[..., 0], b1[..., 2] - a1[..., 0]), (b0[..., 3] - a0[..., 1], b1[..., 3] - a1[..., 1]),
                       (a0[..., 2] - b0[..., 0], a1[..., 2] - b1[..., 0]), (a0[..., 3] - b0[..., 1], a1[..., 3] - b1[..., 1])):
            d = g1 - g0
            tc = -g0 / d
            lo = np.where(d > 0, np.maximum(lo, tc), lo)
            hi = np.where(d < 0, np.minimum(hi, tc), hi)
            hi = np.where((d == 0) & (g0 < 0), -1.0, hi)
    return (lo <= hi).sum(axis=(1, 2))


# -- numba -------------------------------------------------------------------------------------


def numba_frames(A: np.ndarray, B: np.ndarray, swept: bool) -> np.ndarray:
    from guards._numba import BOX, contact_frames

    steps = len(A) - 1 if swept else len(A)
    n, i, j, t = (np.zeros(steps, np.int64), np.zeros(steps, np.int64), np.zeros(steps, np.int64), np.zeros(steps))
    contact_frames(A, BOX, B, BOX, False, swept, False, False, n, i, j, t)
    return n


def best_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bandwidth_gbs(mbytes: int) -> float:
    """Memory bandwidth from a big numpy copy: bytes read plus bytes written per second."""
    src = np.ones(mbytes * 2**20 // 8)
    dst = np.empty_like(src)
    t = best_time(lambda: np.copyto(dst, src), 5)
    return 2 * src.nbytes / t / 1e9


COLD = """
import time, numpy as np
t0 = time.perf_counter()
from guards._numba import BOX, contact_frames
A = np.zeros((3, 2, 4)); B = np.ones((3, 2, 4))
for swept in (False, True):
    s = 2 if swept else 3
    contact_frames(A, BOX, B, BOX, False, swept, False, True, *(np.zeros(s, np.int64) for _ in range(3)), np.zeros(s))
print(time.perf_counter() - t0)
"""


def cold_start() -> tuple[float, float]:
    """Seconds from importing the kernels to the first discrete + swept result, cache cold then warm."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache, PYTHONPATH=str(ROOT))
        run = lambda: float(subprocess.run([sys.executable, "-c", COLD], env=env, capture_output=True, text=True,  # noqa: E731
                                           check=True).stdout.strip().splitlines()[-1])
        cold = run()
        warm = min(run() for _ in range(3))
    return cold, warm


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    parser.add_argument("--json", metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    frames, movers, obstacles = (20, 16, 64) if args.quick else (200, 64, 512)
    py_frames = 3 if args.quick else 8
    repeats = 2 if args.quick else 5
    A, B = scene(frames, movers, obstacles)

    numba_frames(A[:3], B[:3], False), numba_frames(A[:3], B[:3], True)  # compile or load from cache
    assert np.array_equal(numba_frames(A, B, False), numpy_discrete(A, B)[0])
    assert numba_frames(A[:py_frames], B[:py_frames], True).tolist() == python_swept(A[:py_frames].tolist(), B[:py_frames].tolist())
    assert np.array_equal(numba_frames(A, B, True), numpy_swept(A, B))

    pairs = movers * obstacles
    Al, Bl = A[:py_frames].tolist(), B[:py_frames].tolist()
    rate = {
        "python": py_frames * pairs / best_time(lambda: python_discrete(Al, Bl), max(1, repeats // 2)),
        "numpy": frames * pairs / best_time(lambda: numpy_discrete(A, B), repeats),
        "numba": frames * pairs / best_time(lambda: numba_frames(A, B, False), repeats),
        "python_swept": (py_frames - 1) * pairs / best_time(lambda: python_swept(Al, Bl), max(1, repeats // 2)),
        "numpy_swept": (frames - 1) * pairs / best_time(lambda: numpy_swept(A, B), repeats),
        "numba_swept": (frames - 1) * pairs / best_time(lambda: numba_frames(A, B, True), repeats),
    }
    bw = bandwidth_gbs(16 if args.quick else 512)
    limit = bw * 1e9 / BYTES_PER_CHECK
    cold, warm = cold_start()
    out = {
        "scene": {"frames": frames, "movers": movers, "obstacles": obstacles, "dtype": "float64"},
        "pair_checks_per_s": rate,
        "speedup_vs_python": rate["numba"] / rate["python"],
        "speedup_vs_numpy": rate["numba"] / rate["numpy"],
        "swept_speedup_vs_python": rate["numba_swept"] / rate["python_swept"],
        "swept_speedup_vs_numpy": rate["numba_swept"] / rate["numpy_swept"],
        "memory_bandwidth_gb_s": bw,
        "bandwidth_limit_checks_per_s": limit,
        "best_fraction_of_bandwidth_limit": max(rate.values()) / limit,
        "cold_start_cold_cache_s": cold,
        "cold_start_warm_cache_s": warm,
    }
    print(f"scene: {frames} frames, {movers} movers x {obstacles} obstacles, float64 boxes")
    print(f"{'':8}{'pair-checks/s':>16}{'discrete':>14}{'swept':>14}")
    for name in ("python", "numpy", "numba"):
        print(f"{name:8}{'':16}{rate[name]:14.3e}{rate[name + '_swept']:14.3e}")
    print(f"numba / python : {out['speedup_vs_python']:8.1f}x discrete   {out['swept_speedup_vs_python']:8.1f}x swept")
    print(f"numba / numpy  : {out['speedup_vs_numpy']:8.1f}x discrete   {out['swept_speedup_vs_numpy']:8.1f}x swept")
    print(f"memory bandwidth (numpy copy, read+write): {bw:.1f} GB/s -> {limit:.3e} checks/s at {BYTES_PER_CHECK} B/check")
    print(f"best figure is {out['best_fraction_of_bandwidth_limit']:.2f}x that limit "
          "(above 1: the all-pairs loop re-reads boxes from cache, so it is compute-bound, not memory-bound)")
    print(f"cold start (import + first discrete and swept call, new process): "
          f"cold cache {cold:.2f} s, warm cache {warm:.2f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=2))
    return out


if __name__ == "__main__":
    main()
