"""Crash points for the tests that kill a worker in the middle of a job.

A durable job is only as good as its recovery, and recovery is only proven
by a process that really dies: ``GARDIEN_TEST_KILL_AT=<when>:<step>``
makes the worker SIGKILL itself at that point of that step (``when`` is
``before-record``: the step's effect is done, its record not written; or
``after-record``: both are). Nothing reads it unless it is set; the
end-to-end tests set it on one worker process and restart another without it.
"""

from __future__ import annotations

import os
import signal

KILL_AT = "GARDIEN_TEST_KILL_AT"


def crash_point(when: str, step: str) -> None:
    """Die here, now, without cleanup, if this is the point the variable names."""
    wanted = os.environ.get(KILL_AT)
    if wanted and wanted == f"{when}:{step}":
        os.kill(os.getpid(), signal.SIGKILL)
