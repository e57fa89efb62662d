"""The CP-SAT model: candidate options, variables, one builder per rule family, objective levels."""
