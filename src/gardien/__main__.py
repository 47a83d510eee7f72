"""``python -m gardien``: the same as the ``gardien`` command."""

from gardien.cli import main

main()
