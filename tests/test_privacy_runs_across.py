"""Runs of words cut across a call's texts are found from the words side by side at each join
(`runs_across`), as an index of every cut of every run (`Cuts`) finds them, in time that does not grow
with the private texts."""

import random
import time

import pytest

from guards._cuts import VISITS, Cuts, TooManyCuts, runs_across
from guards._index import _follows_of

SIZE = 6


def _runs(texts: list[str]) -> list[str]:
    out = []
    for text in texts:
        words = text.split()
        out += [" ".join(words[i:i + SIZE]) for i in range(len(words) - SIZE + 1)]
    return out


def _both(texts: list[str], forms: list[list[str]], through: bool) -> tuple:
    runs = _runs(texts)
    want = Cuts(words=True).extended(runs).across(forms, through=through)
    got = runs_across(forms, set(runs), _follows_of(f" {t} " for t in texts), SIZE, through=through)
    return ({k: sorted(v) for k, v in want[0].items()}, want[1]), ({k: sorted(v) for k, v in got[0].items()}, got[1])


@pytest.mark.parametrize("seed", range(40))
def test_the_same_runs_and_orders_as_an_index_of_every_cut(seed: int) -> None:
    rnd = random.Random(seed)
    vocab = [f"w{i}" for i in range(rnd.choice([3, 5, 12]))]
    texts = [" ".join(rnd.choice(vocab) for _ in range(rnd.randint(6, 30))) for _ in range(rnd.randint(1, 3))]
    forms = []
    for _ in range(rnd.randint(2, 7)):
        if rnd.random() < 0.6:  # a piece of a private text, so that runs are cut across the forms
            words = rnd.choice(texts).split()
            a = rnd.randrange(len(words))
            forms.append(words[a:a + rnd.randint(1, 5)])
        else:
            forms.append([rnd.choice(vocab) for _ in range(rnd.randint(0, 4))])
    for through in (True, False):
        want, got = _both(texts, forms, through)
        assert got == want


def test_a_long_private_text_costs_no_index_of_its_cuts() -> None:
    rnd = random.Random(3)
    text = " ".join(rnd.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(300_000))
    t0 = time.perf_counter()
    words = text.split()
    runs = {" ".join(words[i:i + SIZE]) for i in range(len(words) - SIZE + 1)}
    follows = _follows_of([f" {text} "])
    forms = [["you", "have"], words[100:103], words[103:106], ["new", "mail"]]
    found, capped = runs_across(forms, runs, follows, SIZE)
    assert " ".join(words[100:106]) in found and (1, 2) in found[" ".join(words[100:106])] and not capped
    assert time.perf_counter() - t0 < 5


def test_texts_that_meet_too_many_ways_raise_too_many_cuts() -> None:
    # every text ends and starts with a word that follows itself: every two texts meet
    forms = [["a"]] * 2000
    with pytest.raises(TooManyCuts):
        runs_across(forms, {"a a a a a a"}, {"a": frozenset({"a"})}, SIZE)
    assert VISITS < 2000 * 2000
