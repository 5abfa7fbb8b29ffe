"""Platform benchmarks (``python -m bench.platform.run``); see run.py."""
