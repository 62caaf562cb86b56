"""Speed comparisons for bplib; run with ``make bench`` (``python -m benchmarks``)."""
