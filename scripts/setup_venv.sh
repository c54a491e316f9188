#!/usr/bin/env bash
# Create .venv beside the code and install the given requirements files into it, saying what it
# does; a second run with the same files installs nothing.
# Usage: bash scripts/setup_venv.sh requirements.txt [requirements-dev.txt]
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=".venv/.installed-$(cat requirements*.txt "$@" | sha256sum | cut -c1-16)"
if [ -f "$stamp" ]; then
  echo "Environnement Python (.venv) déjà prêt."
  exit 0
fi
echo "1/2 Création de l'environnement Python (.venv)…"
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
echo "2/2 Installation des paquets ($*) : quelques minutes la première fois…"
for file in "$@"; do
  echo "    - $file"
  .venv/bin/python -m pip install --quiet -r "$file"
done
touch "$stamp"
echo "Environnement prêt."
