"""Pure helpers of bench/intake_vs_peer: percentiles and CPU accounting from /proc text."""

import math

import pytest

from bench.intake_vs_peer.stats import (MachineTimes, descendants, machine_busy, own_cpu_delta, parse_pid_stat,
                                        parse_proc_stat, percentile, summarize)


@pytest.mark.parametrize("p, expected", [(0, 1.0), (50, 50.5), (95, 95.05), (99, 99.01), (100, 100.0)])
def test_percentile_interpolates_between_closest_ranks(p, expected):
    values = [float(x) for x in range(100, 0, -1)]  # unsorted on purpose

    assert percentile(values, p) == pytest.approx(expected)


def test_percentile_of_one_value_and_of_none():
    assert percentile([7.0], 99) == 7.0
    assert math.isnan(percentile([], 50))
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summarize_gives_p50_p95_p99_and_max():
    s = summarize([10.0, 20.0, 30.0, 40.0, 1000.0])

    assert (s["p50"], s["max"]) == (30.0, 1000.0)
    assert s["p95"] == pytest.approx(808.0)


def test_parse_proc_stat_counts_iowait_as_idle():
    text = "cpu  100 5 50 800 20 3 2 10 0 0\ncpu0 50 2 25 400 10 1 1 5 0 0\nintr 1 2 3\n"

    assert parse_proc_stat(text) == MachineTimes(busy=100 + 5 + 50 + 3 + 2 + 10, total=990)


def test_parse_pid_stat_survives_spaces_and_parentheses_in_the_name():
    text = ("4242 (gunicorn: worker (x) ) S 4200 4200 4200 0 -1 4194560 1000 0 0 0 "
            "150 30 7 3 20 0 5 0 12345 200000000 20000 18446744073709551615\n")

    s = parse_pid_stat(text)

    assert (s.pid, s.ppid, s.cpu, s.children_cpu) == (4242, 4200, 180, 10)


def test_descendants_follow_the_tree_from_a_root():
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 11, 20: 1, 21: 20}

    assert descendants(10, parents) == {10, 11, 12, 13}


def test_own_cpu_counts_new_processes_from_zero_and_keeps_dead_ones():
    first = {10: 100, 11: 50}
    last = {10: 160, 11: 70, 12: 30}  # 12 was born between the samples

    assert own_cpu_delta(first, last) == 60 + 20 + 30


def test_machine_busy_reports_what_is_not_ours_in_cores():
    start, end = MachineTimes(busy=1000, total=5000), MachineTimes(busy=2500, total=7000)  # 2000 jiffies on 2 cores

    b = machine_busy(start, end, own_jiffies=1000, ncpu=2)

    assert (b.other_cores, b.ours_cores, b.machine_cores) == pytest.approx((0.5, 1.0, 1.5))


def test_machine_busy_never_goes_negative_when_our_sampling_overshoots():
    b = machine_busy(MachineTimes(0, 0), MachineTimes(busy=100, total=1000), own_jiffies=150, ncpu=2)

    assert (b.other_cores, b.ours_cores) == (0.0, pytest.approx(0.2))
