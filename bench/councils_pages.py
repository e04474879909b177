"""Time the councils' public pages against a running server (national-scale data).

    python bench/councils_pages.py http://127.0.0.1:8204 /ru/councils/tracker/ /ru/councils/1/

A bounded loop: 5 warm-up requests, then N sequential requests per URL; prints p50 / p95 / max
in milliseconds. Timings are measured here, never asserted in tests.
"""

from __future__ import annotations

import statistics
import sys
import time
import urllib.request

N = 50


def measure(base: str, path: str, n: int = N) -> tuple[float, float, float]:
    url = base + path
    for _ in range(5):
        urllib.request.urlopen(url).read()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            response.read()
            assert response.status == 200
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (n - 1))], times[-1]


if __name__ == "__main__":
    base, *paths = sys.argv[1:]
    for path in paths:
        p50, p95, worst = measure(base, path)
        print(f"{path:45} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   max {worst:7.1f} ms")
