"""The `tempo-async` command line."""
