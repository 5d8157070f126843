"""Run one command and print its wall time and peak memory (largest process in its tree) as JSON."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    """measure.py CMD... → {"seconds": …, "peak_mb": …, "returncode": …} on the last line of stdout."""
    start = time.perf_counter()
    result = subprocess.run(sys.argv[1:], check=False)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps({"seconds": round(seconds, 2), "peak_mb": round(peak_kb / 1024, 1), "returncode": result.returncode})
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
