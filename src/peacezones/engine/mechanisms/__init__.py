"""The mechanisms M1-M17, one module each; :mod:`..step` lists them in order."""
