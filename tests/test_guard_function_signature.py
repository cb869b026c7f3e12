"""A guard function that cannot take (proposal, context) is refused where it is decorated, naming it.

Before, `@guard def g(p)` built, and every call it judged was then denied with a TypeError from inside the
chain (fail closed, but far from the slip). What must hold: a function taking fewer or more required
arguments is refused at `@guard` naming the guard and its signature; (proposal, context), defaults,
*args, and callable objects still build.
"""

from __future__ import annotations

import functools

import pytest

from vfa import ALLOW, guard


def test_a_function_of_the_wrong_arity_is_refused_at_decoration() -> None:
    def one(p):
        return ALLOW

    def three(p, c, extra):
        return ALLOW

    for fn in (one, three):
        with pytest.raises(TypeError, match=rf"guard '{fn.__name__}'.*\(proposal, context\)"):
            guard(fn)
    with pytest.raises(TypeError, match=r"\(\*, p, c\)"):
        guard(lambda *, p, c: ALLOW)


def test_the_right_shapes_still_build() -> None:
    class Check:
        def __call__(self, proposal, context):
            return ALLOW

    def extra_default(p, c, strict=True):
        return ALLOW

    async def acheck(p, c):
        return ALLOW

    for fn in (lambda p, c: ALLOW, lambda *a: ALLOW, extra_default, acheck, Check(),
               functools.partial(lambda limit, p, c: ALLOW, 100)):
        assert guard(fn).check is not None
