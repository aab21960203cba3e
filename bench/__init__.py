"""`make bench`: Sahabat's throughput and latency figures, each beside its raw limit.

Run `python -m bench` (what `make bench` does); see bench/README.md for what
each figure means and the latest medians.
"""
