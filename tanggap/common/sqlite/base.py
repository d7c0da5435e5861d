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

Only transactions (``atomic`` blocks) queue this way; a lone write in autocommit still relies
on the busy handler, which is rare in tanggap and short. In-memory databases are left alone.
"""

from __future__ import annotations

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _locked = False

    def _queue_writes(self) -> bool:
        return self.transaction_mode == "IMMEDIATE" and not self.is_in_memory_db()

    def _acquire(self) -> None:
        if self._lock_fd is None:
            self._lock_fd = os.open(f"{self.settings_dict['NAME']}.writelock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        self._locked = True

    def _release(self) -> None:
        if self._locked:
            self._locked = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

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
