"""One module per ``cordial-harness`` subcommand."""
