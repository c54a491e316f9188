"""Serving the dashboard to many visitors: several Streamlit processes (one per core) behind a
reverse proxy that keeps each visitor on one process and passes websockets (`python -m observatory
serve`, docs/deploiement.md)."""
