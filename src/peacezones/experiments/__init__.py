"""Experiments: runs written to disk now; policies, replicates and the store later."""
