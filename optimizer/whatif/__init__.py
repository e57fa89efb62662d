"""What it would take: the least-cost extra sessions that reach the target, and the curve.

See :func:`optimizer.whatif.search.whatif` and :func:`optimizer.whatif.search.curve`.
"""
