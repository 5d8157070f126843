"""`python -m gongkai` runs the command line."""

from .commands.cli import entry

entry()
