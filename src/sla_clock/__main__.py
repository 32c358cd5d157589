"""``python -m sla_clock``: the same as the ``sla-clock`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
