"""The single source of the package version."""

__version__ = "0.1.0"

#: The program's name, as the command line and its messages say it.
PROG = "sla-clock"
