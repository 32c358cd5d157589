"""``sla-clock batch``: the statuses of every ticket of a CSV or JSON Lines file (a wing).

One pipeline of nouns, each a module: the file's lines (:mod:`._lines`), its quotes
(:mod:`._quotes`), its columns (:mod:`._columns`), its rows read as CSV (:mod:`._csv`) or
JSON Lines (:mod:`._jsonl`), their times (:mod:`._times`) and pauses (:mod:`._pauses`), the
rows checked and computed (:mod:`._rows`), written back (:mod:`._writer`), and what the user
is told while it runs (:mod:`._progress`). :mod:`._pipeline` runs them chunk by chunk. The
command line around it (files, signals, exit statuses) is :mod:`sla_clock.cli`.

Nothing here is public API: the command is the interface (``docs/batch.md``); from Python,
use :mod:`sla_clock.bulk` or the DataFrame adapters.
"""

__all__: list[str] = []
