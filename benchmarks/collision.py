"""Collision benchmark: pair-checks per second for pure Python, vectorised NumPy and numba, and cold start.

    python benchmarks/collision.py [--quick] [--json PATH]

Every implementation does the same work per frame: for each mover box against each obstacle
box, decide contact (closed boxes), count the pairs in contact and find the first pair. Swept
checks the motion between consecutive frames, and all three implementations run the same
algorithm for it: per interval, each entity's swept box (the box bounding its motion over the
interval) is computed once; a pair whose swept boxes do not meet is rejected (conservative: such
a pair cannot touch); every other pair gets the exact time of impact; then count the pairs in
contact and find the earliest one (smallest time, then first in row order). The benchmark
asserts that all three report the same counts, earliest pairs and times of impact. (Earlier
versions gave only the numba kernel the swept-box reject, so their swept ratios mixed an
algorithm difference into the implementation comparison.) Pair-checks/s counts every pair,
rejected or not. The numba figures are the general kernel the guards use
(`guards._numba.contact_frames`), not a benchmark special.
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

from benchmarks import json_path  # noqa: E402

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


def python_swept(A: list, B: list) -> list[tuple[int, int, int, float]]:
    out = []
    for f in range(len(A) - 1):
        boxes_a, boxes_b = _swept_rows(A[f], A[f + 1]), _swept_rows(B[f], B[f + 1])
        count, best = 0, (2.0, -1, -1)
        for i, (a0, a1, ax0, ay0, ax1, ay1) in enumerate(boxes_a):
            for j, (b0, b1, bx0, by0, bx1, by1) in enumerate(boxes_b):
                if not (ax0 <= bx1 and bx0 <= ax1 and ay0 <= by1 and by0 <= ay1):
                    continue  # broad phase: the swept boxes do not meet
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
                    if lo < best[0]:
                        best = (lo, i, j)
        out.append((count, best[1], best[2], best[0] if count else -1.0))
    return out


def _swept_rows(frame0: list, frame1: list) -> list[tuple]:
    """Per entity, once per interval: both boxes and the box bounding its motion (swept AABB)."""
    return [(b0, b1, min(b0[0], b1[0]), min(b0[1], b1[1]), max(b0[2], b1[2]), max(b0[3], b1[3]))
            for b0, b1 in zip(frame0, frame1)]


# -- vectorised NumPy --------------------------------------------------------------------------


def numpy_discrete(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    a, b = A[:, :, None, :], B[:, None, :, :]
    hit = (a[..., 0] <= b[..., 2]) & (b[..., 0] <= a[..., 2]) & (a[..., 1] <= b[..., 3]) & (b[..., 1] <= a[..., 3])
    flat = hit.reshape(len(A), -1)
    return flat.sum(axis=1), flat.argmax(axis=1)


def numpy_swept(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    frames = len(A) - 1
    sa = np.concatenate([np.minimum(A[:-1, :, :2], A[1:, :, :2]), np.maximum(A[:-1, :, 2:], A[1:, :, 2:])], axis=2)
    sb = np.concatenate([np.minimum(B[:-1, :, :2], B[1:, :, :2]), np.maximum(B[:-1, :, 2:], B[1:, :, 2:])], axis=2)
    a, b = sa[:, :, None, :], sb[:, None, :, :]
    # broad phase over all pairs, then the exact time of impact for the candidates only
    cand = (a[..., 0] <= b[..., 2]) & (b[..., 0] <= a[..., 2]) & (a[..., 1] <= b[..., 3]) & (b[..., 1] <= a[..., 3])
    f, i, j = np.nonzero(cand)
    a0, a1, b0, b1 = A[f, i], A[f + 1, i], B[f, j], B[f + 1, j]
    lo = np.zeros(len(f))
    hi = np.ones_like(lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        for g0, g1 in ((b0[:, 2] - a0[:, 0], b1[:, 2] - a1[:, 0]), (b0[:, 3] - a0[:, 1], b1[:, 3] - a1[:, 1]),
                       (a0[:, 2] - b0[:, 0], a1[:, 2] - b1[:, 0]), (a0[:, 3] - b0[:, 1], a1[:, 3] - b1[:, 1])):
            d = g1 - g0
            tc = -g0 / d
            lo = np.where(d > 0, np.maximum(lo, tc), lo)
            hi = np.where(d < 0, np.minimum(hi, tc), hi)
            hi = np.where((d == 0) & (g0 < 0), -1.0, hi)
    hit = lo <= hi
    f, i, j, t = f[hit], i[hit], j[hit], lo[hit]
    count = np.bincount(f, minlength=frames)
    # the earliest pair per interval: smallest time, then the first (i, j) in row order
    order = np.lexsort((j, i, t, f))
    firsts = order[np.unique(f[order], return_index=True)[1]]
    ia, ib, toi = np.full(frames, -1), np.full(frames, -1), np.full(frames, -1.0)
    ia[f[firsts]], ib[f[firsts]], toi[f[firsts]] = i[firsts], j[firsts], t[firsts]
    return count, ia, ib, toi


# -- numba -------------------------------------------------------------------------------------


def numba_frames(A: np.ndarray, B: np.ndarray, swept: bool, pairs: bool = False):
    """Contact counts per frame (and with `pairs`, the earliest pair and its time of impact)."""
    from guards._numba import BOX, contact_frames

    steps = len(A) - 1 if swept else len(A)
    n, i, j, t = (np.zeros(steps, np.int64), np.zeros(steps, np.int64), np.zeros(steps, np.int64), np.zeros(steps))
    contact_frames(A, BOX, B, BOX, False, swept, False, False, n, i, j, t)
    return (n, i, j, t) if pairs else n


def _agree(mode: str, name: str, got: list, numba: list) -> None:
    """Raise unless an implementation's results on the scene are numba's (a raise: `python -O` keeps it)."""
    if got != numba:
        raise RuntimeError(f"{mode}: {name} and numba disagree on the scene, so their rates are not of the same work")


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
    parser.add_argument("--json", type=json_path, metavar="PATH", help="write the figures as JSON")
    args = parser.parse_args(argv)
    frames, movers, obstacles = (20, 16, 64) if args.quick else (200, 64, 512)
    repeats = 2 if args.quick else 5
    A, B = scene(frames, movers, obstacles)
    Al, Bl = A.tolist(), B.tolist()

    numba_frames(A[:3], B[:3], False), numba_frames(A[:3], B[:3], True)  # compile or load from cache
    # the same counts and first pairs (discrete), and earliest pairs and times of impact (swept), from all three
    nb = [x.tolist() for x in numba_frames(A, B, False, pairs=True)]
    counts, flat = (x.tolist() for x in numpy_discrete(A, B))  # argmax: 0 where a frame has no contact, numba -1
    _agree("discrete", "numpy", [counts, [k if n else -1 for n, k in zip(counts, flat)]],
           [nb[0], [i * obstacles + j if i >= 0 else -1 for i, j in zip(nb[1], nb[2])]])
    _agree("discrete", "python", python_discrete(Al, Bl), list(zip(*nb[:3])))
    nb_swept = numba_frames(A, B, True, pairs=True)
    _agree("swept", "python", python_swept(Al, Bl), list(zip(*(x.tolist() for x in nb_swept))))
    _agree("swept", "numpy", [x.tolist() for x in numpy_swept(A, B)], [x.tolist() for x in nb_swept])

    # every implementation is timed on the same frames: the scene's later ones hold fewer contacts
    pairs = movers * obstacles
    rate = {
        "python": frames * pairs / best_time(lambda: python_discrete(Al, Bl), max(1, repeats // 2)),
        "numpy": frames * pairs / best_time(lambda: numpy_discrete(A, B), repeats),
        "numba": frames * pairs / best_time(lambda: numba_frames(A, B, False), repeats),
        "python_swept": (frames - 1) * pairs / best_time(lambda: python_swept(Al, Bl), max(1, repeats // 2)),
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
