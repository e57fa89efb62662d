"""What a scenario allows, in indices and without CP-SAT.

Candidate slots, the levers beyond the sessions, and a solution as placements
among them: the plain facts the model, the first fit and the result share.
"""
