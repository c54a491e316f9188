#!/usr/bin/env bash
# Install (first time) and start the dashboard on the embedded data: bash scripts/dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup_venv.sh requirements.txt
echo "Démarrage du tableau de bord (la base se construit au premier affichage, quelques secondes)."
echo "Ouvrez dans votre navigateur l'adresse « Local URL » affichée ci-dessous (en général http://localhost:8501) ;"
echo "Ctrl+C pour arrêter."
exec .venv/bin/python -m streamlit run app.py "$@"
