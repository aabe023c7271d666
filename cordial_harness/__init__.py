"""The ``cordial-harness`` command line: one click command per module in ``commands/``."""
