"""The command line: argument parsing and text output; one module per command group."""
