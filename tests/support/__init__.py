"""Helpers the test families share: strategies, the checker's tiny world, bound directions."""
