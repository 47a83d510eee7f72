"""``gardien worker``: run background jobs until stopped (SIGTERM or Ctrl-C)."""

from __future__ import annotations

import faulthandler
import signal

from gardien.commands.common import ConfigOption, command_store, settings_for, stderr


def worker(config: ConfigOption = None) -> None:
    """Run jobs (e-mails, consent renewals, expiry sweeps); several workers may share a store."""
    from gardien.declaration import load_valid
    from gardien.jobs import main_loop
    from gardien.notifications import schedule_expiry_sweep, worker_handlers
    from gardien.requests.handlers import schedule_request_jobs
    from gardien.retention import first_retention_run, schedule_retention
    from gardien.vault import Vault, load_master_key

    settings = settings_for(config)
    declaration = load_valid(settings.config)
    with command_store(settings, writes=True) as store:
        vault = Vault(store, load_master_key(settings))
        schedule_expiry_sweep(store)
        schedule_request_jobs(store)
        # The first sweep a period after the first start (then one each period): a
        # restart does not sweep again; `gardien retention run` sweeps at once.
        schedule_retention(store, at=first_retention_run(settings))
        handlers = worker_handlers(settings, store, vault, declaration)
    stderr.print(f"gardien worker running jobs: {', '.join(sorted(handlers))}", markup=False)
    if hasattr(signal, "SIGUSR1"):
        # `kill -USR1 <pid>` prints where every thread is, for a worker that seems stuck.
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    main_loop(settings, handlers=handlers)
