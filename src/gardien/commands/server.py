"""``gardien serve``: migrate the store, put the declaration in force, serve the API."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from gardien.commands.common import ConfigOption, command_store, settings_for, stderr


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port to listen on.")] = None,
    config: ConfigOption = None,
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
