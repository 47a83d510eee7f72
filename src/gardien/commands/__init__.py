"""Command groups of the ``gardien`` CLI that act on the store and the server.

``cli.py`` holds the application and the declaration commands; the groups
here (``db``, ``declaration``, ``keys``, ``audit``, ``serve``, ``worker``)
are registered on it. Like the rest of the CLI they only parse arguments,
call a room and print.
"""
