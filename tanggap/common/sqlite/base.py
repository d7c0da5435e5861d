"""Django's SQLite backend, with write transactions queued on a file lock.

SQLite lets one writer in at a time. A connection that finds the write lock taken calls
SQLite's busy handler, which sleeps and retries (naps of 1, 2, 5, ... up to 100 ms), so under
concurrent writes from several threads and processes (gunicorn's, the worker's) a writer can
nap long after the lock was freed: the intake's tail latency was those naps. Here each
connection takes an exclusive ``flock`` on ``<database>.writelock`` before ``BEGIN IMMEDIATE``
and releases it at COMMIT or ROLLBACK: waiting writers sleep in the kernel and the next one
wakes as soon as the lock is free. The lock belongs to the open file, so it also orders the
threads of one process (each connection opens its own), and the kernel drops it when a
process dies, so a crash never leaves it held.

Only transactions (``atomic`` blocks, and django-tasks-db's EXCLUSIVE ones) queue this way; a lone write in autocommit still relies
on the busy handler, which is rare in tanggap and short. In-memory databases are left alone.

``TANGGAP_SQLITE_LOCK_LOG=<path>`` (for benchmarks: ``bench.chat_load`` sets it) makes each process
append one line per write transaction to ``<path>.<pid>``: when it asked for the lock, how long it
waited and how long it held it (seconds), at most a second late, so the bench can say how busy the one
write lock was.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base

LOCK_LOG = os.environ.get("TANGGAP_SQLITE_LOCK_LOG", "")
_log_rows: list[str] = []
_log_mutex = threading.Lock()
_log_flushed = [0.0]


def _log(asked: float, got: float, released: float) -> None:
    with _log_mutex:
        _log_rows.append(f"{asked:.6f} {got - asked:.6f} {released - got:.6f}\n")
        if len(_log_rows) >= 200 or released - _log_flushed[0] > 1:
            _log_flushed[0] = released
            with open(f"{LOCK_LOG}.{os.getpid()}", "a") as f:
                f.writelines(_log_rows)
            _log_rows.clear()


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _locked = False
    _asked = _got = 0.0

    def _queue_writes(self) -> bool:
        # IMMEDIATE: every atomic block (settings); EXCLUSIVE: django-tasks-db's claims
        # (``exclusive_transaction``), the worker's poll every half second: in WAL mode both take
        # the one write lock at BEGIN, so both wait their turn here instead of in the busy handler.
        return self.transaction_mode in ("IMMEDIATE", "EXCLUSIVE") and not self.is_in_memory_db()

    def _acquire(self) -> None:
        if self._lock_fd is None:
            self._lock_fd = os.open(f"{self.settings_dict['NAME']}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
        if LOCK_LOG:
            self._asked = time.time()
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._locked = True
        if LOCK_LOG:
            self._got = time.time()

    def _release(self) -> None:
        if self._locked:
            self._locked = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            if LOCK_LOG:
                _log(self._asked, self._got, time.time())

    def _start_transaction_under_autocommit(self):
        if not self._queue_writes():
            return super()._start_transaction_under_autocommit()
        self._acquire()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None
