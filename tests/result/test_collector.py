"""The collector during a run's search: on, over what the search allocates only."""

from __future__ import annotations

import gc

from optimizer.result.collector import collector_paused, collector_running


def test_the_search_leaves_what_existed_out_of_the_collections_until_it_ends():
    """Inside collector_running the objects that existed on entry are frozen (a full pass no
    longer walks the run's options); after it, nothing stays frozen and the collector is
    as it was (paused, inside make_start)."""
    assert gc.get_freeze_count() == 0
    with collector_paused():
        with collector_running():
            assert gc.isenabled()
            assert gc.get_freeze_count() > 0
        assert not gc.isenabled()
        assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_a_callers_own_frozen_objects_stay_frozen():
    """A program that froze its heap itself (gc.freeze before forking, say) keeps it frozen:
    the search neither adds to it nor unfreezes it."""
    gc.freeze()
    try:
        count = gc.get_freeze_count()
        with collector_running():
            assert gc.get_freeze_count() == count
        assert gc.get_freeze_count() == count
    finally:
        gc.unfreeze()
