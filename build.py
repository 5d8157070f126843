#!/usr/bin/env python3
"""Build the site: the same as `gongkai build` (arguments are passed through)."""

import sys

from gongkai.commands.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
