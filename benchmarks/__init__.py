"""Benchmarks of policygraph at scale (issue 7, "Scale and speed").

``benchmarks.generate`` writes seeded, deterministic graphs of a chosen size: the official geography
of the territories importer plus generated contracts shaped like the real ones.  Generated graphs go
under ``benchmarks/work/`` (git-ignored), never into the repository.
"""
