"""Fuzzing govstats with hostile and broken inputs (see README "## Robustness").

`seeds` builds the starting files (real corpus and generated reports in every format),
`mutators` turns a seed into a case deterministically from (run seed, case index),
`hostile` makes the pathological files, `harness` runs cases in memory-capped worker
processes with a hard kill and judges each outcome. `python -m fuzz` (run from
tests/, or `make fuzz`) is the long run.
"""
