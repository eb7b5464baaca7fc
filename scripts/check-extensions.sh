#!/usr/bin/env bash
# The published Functions app must carry the Durable and Queues extensions in extensions.json:
# without them the Functions host starts but never runs an orchestration or a queue trigger.
# Usage: scripts/check-extensions.sh <publish folder>
set -euo pipefail
file="$1/extensions.json"
[ -f "$file" ] || { echo "no extensions.json in $1" >&2; exit 1; }
for name in DurableTask AzureStorageQueues; do
  if ! grep -q "\"name\": *\"$name\"" "$file"; then
    echo "extensions.json lacks the $name extension:" >&2
    cat "$file" >&2
    exit 1
  fi
done
echo "extensions.json lists DurableTask and AzureStorageQueues"
