"""Reference exchange hub and provincial register server, for tests and local demos only."""
