"""One module per vendor; each holds only what is its own."""
