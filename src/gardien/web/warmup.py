"""Loading the redaction models in the background when the server starts.

Loading both NER pipelines takes seconds; done on the first /api/v1/redact
call, that call (and every one queued behind it) would wait. The server
starts answering at once, the models load beside it, and /healthz shows
their state (see ``gardien.redact.nlp.pipeline_states``).
"""

from __future__ import annotations

import logging
import threading

from gardien.errors import GardienError

logger = logging.getLogger("gardien.web")


def _preload() -> None:
    from gardien.redact import preload
    from gardien.redact.nlp import MODELS

    for lang in MODELS:
        try:
            preload([lang])
        except GardienError as exc:
            # Everything else is still served, and the other language still
            # loads; /redact gives the same message to the caller.
            logger.warning("redaction model for %r not loaded: %s", lang, exc)


def start_redaction_preload() -> threading.Thread:
    """Start loading the redaction models; the thread ends when they are loaded."""
    thread = threading.Thread(target=_preload, name="gardien-redact-preload", daemon=True)
    thread.start()
    return thread
