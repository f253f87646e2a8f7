#!/usr/bin/env bash
# The installed CLI, as the README installs it: `dotnet publish src/Catalog.Cli -o DIR` (self-contained: a native `catalog`
# and its ReadyToRun twin `store/catalog` for the commands that need Marten's store; see src/Catalog.Cli/Catalog.Cli.csproj).
# Published once into bench/out/cli and again whenever a source file is newer than it (both builds: ~4-5 minutes on 2 cores).
# Usage: CLI_BIN=$(bash bench/publish-cli.sh)   → the path of the `catalog` executable
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=$PWD/bench/out/cli
if [ ! -x "$DIR/catalog" ] || [ -n "$(find src -name '*.cs' -not -path '*/obj/*' -newer "$DIR/catalog" -print -quit)" ] \
   || [ -n "$(find src -name '*.csproj' -not -path '*/obj/*' -newer "$DIR/catalog" -print -quit)" ]; then
  echo "publishing the CLI into $DIR (native and ReadyToRun; a few minutes)…" >&2
  rm -rf "$DIR"; mkdir -p "$PWD/bench/out"
  dotnet publish src/Catalog.Cli -o "$DIR" > "$PWD/bench/out/cli-publish.log" 2>&1 || { cat "$PWD/bench/out/cli-publish.log" >&2; exit 1; }
  touch "$DIR/catalog"
fi
echo "$DIR/catalog"
