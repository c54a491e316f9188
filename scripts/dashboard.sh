#!/usr/bin/env bash
# Install (first time) and open the dashboard on the embedded data: bash scripts/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
