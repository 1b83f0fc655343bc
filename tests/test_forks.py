"""Work shared with a forked process: the same answers as without a fork, whatever happens
to the child."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khalkhin import forks, search


def test_both_gives_each_answer_and_the_second_from_a_child() -> None:
    here = os.getpid()
    mine, theirs = forks.both(lambda: ("first", os.getpid()), lambda: ["second", os.getpid()])
    assert mine == ("first", here)
    assert theirs[0] == "second"
    if forks.cpus():
        assert theirs[1] != here  # it ran in another process
    else:
        assert theirs[1] == here


def test_later_lets_go_in_the_child_only_and_can_be_closed_unread() -> None:
    held = {"big": list(range(1000))}

    def release() -> None:
        held.clear()  # in the child: the parent keeps what it holds

    later = forks.Later(lambda: sorted(held), release)
    answer = later.result()
    assert held == {"big": list(range(1000))}
    assert answer == ([] if forks.cpus() else ["big"])
    unread = forks.Later(lambda: os.getpid())
    pid = unread.pid
    unread.close()  # a child whose answer is not wanted is ended and reaped
    assert unread.pid is None and unread.fd is None
    if pid is not None:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_an_answer_is_sent_in_pieces_and_read_back_whole() -> None:
    import io
    import marshal

    def answer() -> Any:
        return (list(range(forks.SLICE * 2 + 5)), {"a": [1, 2]}, (1, [("w", b"x")] * 3), "z")

    sent = io.BytesIO()
    for piece in forks._pieces(answer()):
        marshal.dump(piece, sent)
    sent.seek(0)
    assert forks._read(sent, marshal.load) == answer()
    assert sent.read() == b""
    assert forks.Later(answer).result() == answer()  # from a child, where one is forked
    with pytest.raises(ValueError):  # a list that says it is shorter than it is
        forks._read(io.BytesIO(marshal.dumps(("l", 1)) + marshal.dumps([1, 2])), marshal.load)


def test_an_answer_the_child_cannot_send_is_computed_here() -> None:
    class Opaque:  # not marshallable
        pass

    mine, theirs = forks.both(lambda: 1, Opaque)
    assert mine == 1 and isinstance(theirs, Opaque)


def test_an_error_of_the_second_is_raised_here() -> None:
    def fails() -> None:
        raise ValueError("no answer")

    with pytest.raises(ValueError, match="no answer"):
        forks.both(lambda: 1, fails)


def test_an_error_of_the_first_leaves_no_child_behind() -> None:
    def fails() -> None:
        raise KeyError("first")

    with pytest.raises(KeyError):
        forks.both(fails, lambda: sum(range(10**6)))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left to reap


def test_no_fork_with_another_thread() -> None:
    import threading

    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert forks.cpus() == 0
        assert forks.both(lambda: os.getpid(), lambda: os.getpid()) == (os.getpid(),) * 2
    finally:
        stop.set()
        t.join()


NAMES = st.lists(st.text(alphabet="abk ", min_size=1, max_size=6), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES, st.lists(st.text(alphabet="abk ", min_size=1, max_size=4), min_size=1,
                       max_size=2), st.integers(1, 8))
def test_names_scored_in_halves_pool_as_all_at_once(names: list[str], forms: list[str],
                                                    n: int) -> None:
    # Many ties: the halves' best are merged best first and in the names' order, as
    # rapidfuzz orders the best of all the names at once.
    whole = search._pools(forms, names, n)
    was = search.SHARED
    search.SHARED = 1
    try:
        halves = search._pools(forms, names, n)
    finally:
        search.SHARED = was
    assert [list(p.items()) for p in halves] == [list(p.items()) for p in whole]


def test_look_ups_are_the_same_with_the_names_shared(monkeypatch: Any) -> None:
    from khalkhin.chronology import load

    chron = load(use_cache=False)
    queries = ["zhukov", "nomonhan", "treaty of portsmouth", "kwantung", "khasan 1938",
               "soviet general", "neutrality pact", "Халхин-Гол"]
    alone = [search.rank(chron, q) for q in queries]
    monkeypatch.setattr(search, "SHARED", 1)
    assert [search.rank(chron, q) for q in queries] == alone
