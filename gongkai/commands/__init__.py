"""Commands: build, check and serve, and the CLI that runs them."""
