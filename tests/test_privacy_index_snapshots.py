"""A thread's index is extended, never changed: an index read by a running call stays as it was while
later results extend it (its maps are shared until a result adds to them)."""

from guards._index import _EMPTY_INDEX
from guards._observation import Observation
from vfa import Label

ALICE = Label(readers=frozenset({"alice@x.example", "user"}), sources=frozenset({"tool:get_profile"}))
BOB = Label(readers=frozenset({"bob@x.example", "user"}), sources=frozenset({"tool:read_file"}))
WEB = Label(sources=frozenset({"tool:fetch"}), trusted=False)


def _obs(call: str, tracked=(), texts=(), keys=None, untrusted=None) -> Observation:
    o = Observation(call, "t", tracked=list(tracked), texts=list(texts), untrusted=untrusted)
    if keys:
        o.keys = keys
    return o


def test_an_index_keeps_its_maps_while_later_results_extend_it() -> None:
    first = _EMPTY_INDEX.extended([_obs("c1", tracked=[("078051120", ALICE)], keys={("file", "a"): ALICE})])
    plain = first.extended([_obs("c2")])  # adds nothing: shares the maps
    assert plain.tracked == first.tracked and plain.keys == first.keys and len(plain.obs) == 2

    words = " one two three four five six seven "
    later = plain.extended([_obs("c3", tracked=[("078051120", BOB), ("555123", BOB)], texts=[(words, BOB)],
                                 keys={("file", "a"): BOB}, untrusted=WEB)])
    # the later index joins the labels of a value seen twice, and holds the new ones
    assert later.tracked["078051120"].readers == frozenset({"user"})
    assert later.tracked["555123"] is BOB and later.texts[words] is BOB
    assert later.keys[("file", "a")].readers == frozenset({"user"}) and later.taint is WEB
    # the earlier indexes are as they were
    for idx in (first, plain):
        assert idx.tracked == {"078051120": ALICE}
        assert idx.keys == {("file", "a"): ALICE}
        assert idx.texts == {} and idx.taint is None
    assert _EMPTY_INDEX.tracked == {} and _EMPTY_INDEX.keys == {} and _EMPTY_INDEX.texts == {}


def test_lazy_forms_of_a_shared_index_follow_its_extensions() -> None:
    words = " one two three four five six seven "
    first = _EMPTY_INDEX.extended([_obs("c1", texts=[(words, ALICE)])])
    assert "one two three four five six" in first.shingles  # built before the extensions below
    plain = first.extended([_obs("c2")])
    assert plain.shingles == first.shingles
    more = " eight nine ten eleven twelve thirteen "
    later = plain.extended([_obs("c3", texts=[(more, BOB)])])
    assert later.shingles["eight nine ten eleven twelve thirteen"] is BOB
    assert "eight nine ten eleven twelve thirteen" not in first.shingles
    assert "eight nine ten eleven twelve thirteen" not in plain.shingles
