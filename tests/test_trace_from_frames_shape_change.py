"""Trace.from_frames names the channel and frame whose value changes shape from one frame to the next.

A play-test whose state grows an entity mid-run (an enemy spawned: `hp` of 2 values, then 3), or a shape
channel of 1 box then 2, stopped `from_frames` with NumPy's bare "ValueError: all input arrays must have
the same shape": no channel, no frame, outside vfa's errors. What must hold: a SceneError naming the
channel, the frame and the two shapes.
"""

from __future__ import annotations

import pytest

from guards import SceneError, Trace


def test_a_vector_channel_that_grows_is_named() -> None:
    with pytest.raises(SceneError, match=r"'hp'.*frame 2"):
        Trace.from_frames([{"score": 0, "hp": [3, 3]}, {"score": 1, "hp": [3, 2]}, {"score": 2, "hp": [3, 2, 5]}])


def test_a_shape_channel_that_grows_is_named() -> None:
    with pytest.raises(SceneError, match=r"'player'.*frame 1"):
        Trace.from_frames([{"player": [[0, 0, 1, 1]]}, {"player": [[0, 0, 1, 1], [2, 2, 3, 3]]}])


def test_a_scalar_that_becomes_a_list_is_named() -> None:
    with pytest.raises(SceneError, match=r"'x'.*frame 1"):
        Trace.from_frames([{"x": 1}, {"x": [1, 2]}])


def test_frames_of_one_shape_still_build() -> None:
    t = Trace.from_frames([{"x": 1, "hp": [3, 3]}, {"x": 2, "hp": [3, 2]}])
    assert t.frames == 2 and t.channel("hp").shape == (2, 2)
