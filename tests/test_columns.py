"""The release columns' days mentioned: pairs sorted by day, joined over segments, and the bonus of a typed time."""

from datetime import date

import numpy as np

from search.store.columns import Columns, Mentions, SegmentColumns, encode_days, join_mentions


def segment(days: list[int], mentioned: list[tuple[int, int]]) -> SegmentColumns:
    """A segment of releases published on `days`, with (day, release) pairs mentioned."""
    pairs = sorted(mentioned)
    return SegmentColumns(np.array(days, dtype=np.uint32), np.zeros(len(days), dtype=np.int64), {}, {},
                          Mentions(np.array([d for d, _ in pairs], dtype=np.uint32),
                                   np.array([r for _, r in pairs], dtype=np.int64)))


def test_the_mentioned_column_holds_days_as_little_endian_numbers():
    assert encode_days([date(2016, 2, 29), date(2016, 3, 1)]) == (20160229).to_bytes(4, "little") + (
        20160301).to_bytes(4, "little")
    assert encode_days([]) == b""


def test_mentions_of_segments_are_joined_with_global_release_numbers_and_found_by_span():
    first = segment([20160301, 20160302], [(20160229, 0), (20150101, 1)])
    second = segment([20160305], [(20160228, 0), (20160229, 0)])
    joined = join_mentions([first, second])
    assert joined.days.tolist() == [20150101, 20160228, 20160229, 20160229]
    assert joined.docs.tolist() == [1, 2, 0, 2]
    assert np.flatnonzero(joined.within([(20160229, 20160229)], 3)).tolist() == [0, 2]
    assert np.flatnonzero(joined.within([(20160201, 20160228), (20150101, 20150101)], 3)).tolist() == [1, 2]
    assert np.flatnonzero(joined.within([(20170101, 20171231)], 3)).tolist() == []


def test_a_release_is_of_a_time_when_published_then_or_mentioning_a_day_of_a_short_one():
    mentions = Mentions(np.array([20160229, 20161231], dtype=np.uint32), np.array([1, 2], dtype=np.int64))
    columns = Columns(np.array([20160229, 20160301, 20170102, 20160101], dtype=np.uint32), np.zeros(4), {}, {},
                      mentions)
    docs = np.array([0, 1, 2, 3])
    assert columns.of_time(docs, [(20160229, 20160229)], 31).tolist() == [True, True, False, False]
    assert columns.of_time(docs[::-1], [(20160229, 20160229)], 31).tolist() == [False, False, True, True]
    assert columns.of_time(docs, [(20161201, 20161231)], 31).tolist() == [False, False, True, False]
    # A year is longer than 31 days: there only the publication counts.
    assert columns.of_time(docs, [(20160101, 20161231)], 31).tolist() == [True, True, False, True]
    assert columns.of_time(docs, [(20160101, 20161231)], 366).tolist() == [True, True, True, True]
