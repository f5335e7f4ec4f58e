"""``python -m peacezones`` runs the command line."""

from .cli import main

main()
