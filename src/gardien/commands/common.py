"""What every runtime command shares: the --config option and the settings it yields."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gardien.settings import Settings

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="The declaration file (default: $GARDIEN_CONFIG, else ./privacy.yaml); the store "
        "and key files default to its directory.",
    ),
]


def settings_for(config: Path | None, **overrides: object) -> Settings:
    return Settings.from_env(None, config=config, **overrides)
