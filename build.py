#!/usr/bin/env python3
"""Build the site: the same as `gongkai build` (arguments are passed through)."""

import sys

from gongkai.commands.cli import entry

if __name__ == "__main__":
    entry(["build", *sys.argv[1:]])
