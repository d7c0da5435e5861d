"""A job for the worker test: it appends "<job> <pid>" to a log file in the directory it is given.

Each line is written with one O_APPEND write, so lines from several worker processes never mix.
"""

import os

from django_tasks import task


@task()
def record(job: int, log_dir: str) -> int:
    fd = os.open(os.path.join(log_dir, f"worker-{os.getpid()}.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, f"{job} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return job
