"""Pure helpers: latency percentiles and CPU accounting from /proc text (no I/O here).

CPU accounting: the machine's busy time comes from the first line of /proc/stat; the time
of our own processes (servers, their PostgreSQL backends, the load process, this one) from
/proc/<pid>/stat. What is left over is "other work": other engineers' tests on the same
two cores, which we cannot stop but must report next to every figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks
    (numpy's default); NaN for no values."""
    if not values:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is outside 0-100")
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    if lo == hi:
        return float(xs[lo])
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


@dataclass(frozen=True)
class MachineTimes:
    busy: int  # jiffies spent on anything but idle and iowait, all CPUs
    total: int  # all jiffies, all CPUs


def parse_proc_stat(text: str) -> MachineTimes:
    """The aggregate ``cpu`` line of /proc/stat. guest time is already inside user."""
    for line in text.splitlines():
        if line.startswith("cpu "):
            v = [int(x) for x in line.split()[1:]]
            v += [0] * (8 - len(v))
            user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
            busy = user + nice + system + irq + softirq + steal
            return MachineTimes(busy=busy, total=busy + idle + iowait)
    raise ValueError("no aggregate cpu line in /proc/stat")


@dataclass(frozen=True)
class PidStat:
    pid: int
    ppid: int
    cpu: int  # utime + stime, jiffies
    children_cpu: int  # cutime + cstime: children it has reaped


def parse_pid_stat(text: str) -> PidStat:
    """/proc/<pid>/stat; the command name may hold spaces and parentheses, so split after
    the last ')'."""
    pid = int(text[: text.index("(")])
    rest = text[text.rindex(")") + 2:].split()
    # rest[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17
    return PidStat(pid=pid, ppid=int(rest[1]), cpu=int(rest[11]) + int(rest[12]),
                   children_cpu=int(rest[13]) + int(rest[14]))


def descendants(root: int, parents: dict[int, int]) -> set[int]:
    """root and every process below it, from a pid -> ppid map."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in found:
            continue
        found.add(pid)
        todo.extend(children.get(pid, ()))
    return found


def own_cpu_delta(first: dict[int, int], last: dict[int, int]) -> int:
    """CPU jiffies our processes used between two samples. A pid absent from ``first`` was
    born in between and counts from zero; one that died keeps its last sampled value."""
    return sum(max(0, ticks - first.get(pid, 0)) for pid, ticks in last.items())


@dataclass(frozen=True)
class Busy:
    other_cores: float  # cores' worth of CPU used by processes that are not ours
    ours_cores: float
    machine_cores: float  # all CPU use, ours included

    def describe(self, ncpu: int) -> str:
        return f"{self.other_cores:.2f} of {ncpu} cores busy with other work (ours {self.ours_cores:.2f})"


def machine_busy(start: MachineTimes, end: MachineTimes, own_jiffies: int, ncpu: int) -> Busy:
    """Turn jiffy deltas into cores in use on average: 1.0 = one core fully busy."""
    total = end.total - start.total
    if total <= 0:
        return Busy(0.0, 0.0, 0.0)
    busy = end.busy - start.busy
    other = max(0, busy - own_jiffies)
    scale = ncpu / total
    return Busy(other_cores=other * scale, ours_cores=min(own_jiffies, busy) * scale, machine_cores=busy * scale)


def summarize(latencies_ms: list[float]) -> dict:
    return {"p50": percentile(latencies_ms, 50), "p95": percentile(latencies_ms, 95),
            "p99": percentile(latencies_ms, 99), "max": max(latencies_ms) if latencies_ms else math.nan}
