"""Benchmarks and yardsticks of the rescheduler: not part of the product package.

:mod:`benchmarks.bounds` (independent HiGHS bounds) and :mod:`benchmarks.external`
(where the public data sets are) are imported by the tests too; ``highspy`` is a
development dependency only.
"""
