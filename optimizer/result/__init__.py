"""The result of a solve, from a solution in indices to the files a planner reads.

The revised schedule and its typed summary, the analyses, the calls, and the
result folder written atomically.
"""
