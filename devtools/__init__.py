"""Development tools that are not part of the dashboard: the AppTest harness the tests and the
benchmark share, and the benchmark itself (`python -m observatory bench`)."""
