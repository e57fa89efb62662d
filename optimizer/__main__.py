"""``python -m optimizer`` runs the same program as the installed command."""

from .cli import main

main()
