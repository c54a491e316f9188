#!/usr/bin/env bash
# Create .venv beside the code and install the given requirements files into it.
# Usage: bash scripts/setup_venv.sh requirements.txt [requirements-dev.txt]
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
for file in "$@"; do
  .venv/bin/python -m pip install --quiet -r "$file"
done
