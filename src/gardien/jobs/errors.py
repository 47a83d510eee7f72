"""The jobs room's errors.

JobError                a job cannot be queued, claimed or finished as asked
├── PermanentJobError   raised by a handler: retrying cannot help (bad payload)
└── LeaseLostError      the worker's lease expired and another worker took the job
"""

from __future__ import annotations

from gardien.errors import GardienError


class JobError(GardienError):
    """A job cannot be queued, claimed, run or finished as asked."""


class PermanentJobError(JobError):
    """Raised by a handler when retrying cannot help: the job fails at once."""


class LeaseLostError(JobError):
    """This worker no longer holds the job: its lease expired and it may run elsewhere."""
