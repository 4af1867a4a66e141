#!/usr/bin/env bash
# The product's command line on the embedded defaults, e.g.
#   bash scripts/pipeline.sh run ../shared/data/alerts/internal/cptc2017_team1.json
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
exec node "$repo_root/dist/starters/cli.js" "$@"
