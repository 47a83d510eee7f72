"""``gardien serve``: migrate the store, put the declaration in force, serve the API."""

from __future__ import annotations

import sys
import threading
from typing import TYPE_CHECKING, Annotated

import typer

from gardien.commands.common import ConfigOption, command_store, settings_for, stderr

if TYPE_CHECKING:
    from gardien.settings import Settings
    from gardien.web.runtime import Runtime


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
    config: ConfigOption = None,
    with_worker: Annotated[
        bool,
        typer.Option(
            "--with-worker/--no-worker",
            help="Also run background jobs (requests, e-mails, sweeps) in this process, as "
            "`gardien worker` would: for a demo or a single small server.",
        ),
    ] = False,
) -> None:
    """Serve the API and pages; several servers may share one PostgreSQL store."""
    import uvicorn

    from gardien.web import build_runtime, create_app
    from gardien.web.connections import bounded_protocol

    # Endpoints hand their database work to a thread; with CPython's default 5 ms
    # switch interval, handing the GIL back to the event loop dominates latency.
    sys.setswitchinterval(0.0005)
    settings = settings_for(config, host=host, port=port)
    with command_store(settings, writes=True) as store:
        runtime = build_runtime(settings, store)
        app = create_app(settings, runtime)
        worker = _embedded_worker(settings, runtime) if with_worker else None
        stderr.print(
            f"gardien serving {settings.config} (declaration {runtime.declaration_version[:12]}) "
            f"on http://{settings.host}:{settings.port}",
            markup=False,
        )
        uvicorn.run(
            app,
            host=settings.host,
            port=settings.port,
            log_level="warning",
            # Access logs hold paths only: personal data never travels in URLs here.
            access_log=False,
            server_header=False,
            # Only GARDIEN_TRUSTED_PROXIES decides whom a forwarded header may name;
            # uvicorn would otherwise take X-Forwarded-For from any local peer as the client.
            proxy_headers=False,
            # Header timeout and connection limit (the body timeout is the app's).
            http=bounded_protocol(settings),
            timeout_keep_alive=settings.keep_alive_seconds,
        )
        if worker is not None:
            worker.stop()


class _EmbeddedWorker:
    """The worker loop on a thread of the server: stops after the job under way."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        import datetime as dt

        from gardien.jobs import default_worker_id, run_worker
        from gardien.notifications import schedule_expiry_sweep, worker_handlers
        from gardien.requests.handlers import schedule_request_jobs
        from gardien.retention import first_retention_run, schedule_retention

        schedule_expiry_sweep(runtime.store)
        schedule_request_jobs(runtime.store)
        # The first sweep a period after the first start (then one each period): a
        # restart does not sweep again; `gardien retention run` sweeps at once.
        schedule_retention(runtime.store, at=first_retention_run(settings))
        handlers = worker_handlers(settings, runtime.store, runtime.vault, runtime.declaration)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=run_worker,
            args=(runtime.store, handlers),
            kwargs={
                "worker_id": default_worker_id(),
                "poll_seconds": settings.worker_poll_seconds,
                "stop": self._stop,
                "lease": dt.timedelta(seconds=settings.worker_lease_seconds),
            },
            name="gardien-worker",
            daemon=True,
        )
        self._thread.start()
        stderr.print(f"gardien worker running jobs: {', '.join(sorted(handlers))}", markup=False)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)


def _embedded_worker(settings: Settings, runtime: Runtime) -> _EmbeddedWorker:
    return _EmbeddedWorker(settings, runtime)
