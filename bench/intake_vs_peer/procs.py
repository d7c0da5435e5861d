"""Sampling our processes from /proc while a phase runs: peak RSS of the server's processes,
CPU of everything we started, and the machine's CPU, so "other work" can be reported."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

from bench.intake_vs_peer.stats import Busy, MachineTimes, descendants, machine_busy, own_cpu_delta, parse_pid_stat, \
    parse_proc_stat

NCPU = os.cpu_count() or 1


def machine_times() -> MachineTimes:
    with open("/proc/stat") as f:
        return parse_proc_stat(f.read())


def all_pids() -> dict[int, tuple[int, int, int]]:
    """pid -> (ppid, cpu, children_cpu) for every process we can read."""
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                s = parse_pid_stat(f.read())
        except (OSError, ValueError, IndexError):
            continue
        out[s.pid] = (s.ppid, s.cpu, s.children_cpu)
    return out


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


@dataclass
class Sampler:
    """Samples every ``interval`` seconds in a thread. ``server_root`` is the gunicorn master;
    ``other_roots`` are further processes of ours (the load process, the PostgreSQL postmaster,
    this process)."""

    server_root: int
    other_roots: list[int]
    interval: float = 0.2
    peak_rss: dict[int, int] = field(default_factory=dict)  # pid -> KiB
    peak_total_rss: int = 0
    server_pids: set[int] = field(default_factory=set)
    _first: dict[int, int] = field(default_factory=dict)
    _last: dict[int, int] = field(default_factory=dict)
    _start: MachineTimes | None = None
    _end: MachineTimes | None = None
    _t0: float = 0.0
    _t1: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def _ours(self, table) -> tuple[set[int], set[int]]:
        parents = {pid: v[0] for pid, v in table.items()}
        server = descendants(self.server_root, parents) & parents.keys()
        ours = set(server)
        for root in self.other_roots:
            ours |= descendants(root, parents)
        return server, ours & parents.keys()

    def _sample(self, first: bool = False) -> None:
        table = all_pids()
        server, ours = self._ours(table)
        self.server_pids |= server
        for pid in ours & table.keys():  # a root that has exited is not in the table
            _, cpu, children = table[pid]
            # reaped children's time lands in cutime/cstime of their parent: count it too
            ticks = cpu + children
            if first:
                self._first[pid] = ticks
            self._last[pid] = ticks
        total = 0
        for pid in server & table.keys():
            r = rss_kib(pid)
            total += r
            if r > self.peak_rss.get(pid, 0):
                self.peak_rss[pid] = r
        self.peak_total_rss = max(self.peak_total_rss, total)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def start(self) -> "Sampler":
        self._start, self._t0 = machine_times(), time.monotonic()
        self._sample(first=True)
        self._thread = threading.Thread(target=self._loop, daemon=True, name="sampler")
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()
        self._sample()
        self._end, self._t1 = machine_times(), time.monotonic()

    def busy(self) -> Busy:
        return machine_busy(self._start, self._end, own_cpu_delta(self._first, self._last), NCPU)

    def server_cpu_seconds(self) -> float:
        hz = os.sysconf("SC_CLK_TCK")
        return own_cpu_delta({p: v for p, v in self._first.items() if p in self.server_pids},
                             {p: v for p, v in self._last.items() if p in self.server_pids}) / hz

    def peak_worker_rss_mib(self) -> float:
        """The largest RSS any one server process reached."""
        return max(self.peak_rss.values(), default=0) / 1024
