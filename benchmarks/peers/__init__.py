"""The peers the book's recipes race in `make bench`: the tutorials' own training code.

Each peer is run as its own process (`python -m benchmarks.peers.<name>`), so that its
framework's threads and memory never share a process with the book's TensorFlow, and
prints one JSON object: its recipe's name and every run's race (`benchmarks.race`).
"""
