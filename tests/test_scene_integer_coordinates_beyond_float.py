"""Integer coordinates float64 cannot hold exactly are refused, not rounded into another verdict.

`as_group` accepts integer arrays and casts them to float64, which holds integers exactly only up to
2**53: a box with xmax = 2**53 + 1 became 2**53, so two int64 boxes overlapping by one unit read as an
exact touch, and with `touching=False` as no contact (allowed). `Trace` already refuses such integers
for its value channels; a scene must too.

What must hold: either the exact integer verdict (a contact) or a `SceneError` naming the coordinate;
never "no contact". A float64 coordinate of that size is still taken (it is exactly what it says).

Fixed: as_group refuses integer coordinates beyond 2**53 with a SceneError naming the coordinate, as Trace
refuses such values.
"""

from __future__ import annotations

import numpy as np
import pytest

from guards import SceneError, first_contact

N = 2**53


def test_int64_boxes_overlapping_by_one_unit_are_never_clear() -> None:
    a = np.array([[0, 0, N + 1, 10]], np.int64)
    b = np.array([[N, 0, N + 10, 10]], np.int64)
    assert N + 1 > N  # the exact reference: they overlap on [N, N + 1] (and on y), a contact even when strict
    try:
        got = first_contact(a, b, swept=False, touching=False)
    except SceneError as exc:
        assert str(N + 1) in str(exc), exc
    else:
        assert got is not None, "int64 boxes overlapping by one unit were read as no contact"


def test_uint64_coordinates_beyond_two_to_53_are_refused_or_exact() -> None:
    a = np.array([[0, 0, N + 1, 10]], np.uint64)
    b = np.array([[N, 0, N + 10, 10]], np.uint64)
    try:
        got = first_contact(a, b, swept=False, touching=False)
    except SceneError:
        return
    assert got is not None


def test_float_coordinates_of_that_size_are_still_taken() -> None:
    a = np.array([[0.0, 0.0, float(N + 2), 10.0]])
    b = np.array([[float(N), 0.0, float(N + 10), 10.0]])
    assert first_contact(a, b, swept=False, touching=False) is not None


@pytest.mark.parametrize("value", [N, -N])
def test_integers_float64_holds_are_taken(value: int) -> None:
    a = np.array([[value, 0, value, 10]], np.int64)
    assert first_contact(a, a.copy(), swept=False) is not None
