"""``python -m cordial_harness`` runs the CLI."""

from cordial_harness.cli import main

main()
