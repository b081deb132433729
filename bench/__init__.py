"""passend's benchmark (`make bench`): budgets are measured here, never in timed tests."""
