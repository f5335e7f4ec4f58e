"""NumPy port of Epstein's civil-violence model, with equivalence and speed checks against
Mesa's example (see README.md)."""
