#!/usr/bin/env bash
# Installs the quarry CLI from this clone: a Release build published ReadyToRun (precompiled), so each command
# starts without JIT-compiling the CLI, YamlDotNet and the JSON code first. That is most of a short command's time:
# a 1,000-datastore config import spends more CPU compiling than reading its files when run from `dotnet run`.
#
#   scripts/install-cli.sh                 # into ~/.quarry/cli, linked as ~/.local/bin/quarry
#   scripts/install-cli.sh --dir DIR       # into DIR
#   scripts/install-cli.sh --no-link       # don't link it into ~/.local/bin (or $QUARRY_BIN_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$HOME/.quarry/cli"
link=1
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir="$2"; shift 2 ;;
    --no-link) link=0; shift ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-cli.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
dotnet publish src/Quarry.Cli -c Release --use-current-runtime --self-contained false -p:PublishReadyToRun=true \
  --disable-build-servers -o "$dir" --nologo -v q
if [ "$link" = 1 ]; then
  bin="${QUARRY_BIN_DIR:-$HOME/.local/bin}"
  mkdir -p "$bin"
  ln -sf "$(cd "$dir" && pwd)/quarry" "$bin/quarry"
  echo "Installed quarry $("$dir/quarry" --version) in $dir, linked as $bin/quarry."
  case ":$PATH:" in *":$bin:"*) ;; *) echo "Add $bin to your PATH to run it as 'quarry'." ;; esac
else
  echo "Installed quarry $("$dir/quarry" --version) in $dir."
fi
