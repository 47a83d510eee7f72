"""Built-in recognizers, one per file; :mod:`gardien.redact.registry` lists them."""
