#!/usr/bin/env bash
# Two builds of the CLI timed in turns: import-fs of the small and mixed trees and import-db of the mixed tree's export,
# each into a fresh database of one service's cluster, beside cp -r + sync and sqlite3 writefile() + sync, every round.
# Usage: bench/import-ab.sh BASE_DIR NEW_DIR      (each a `dotnet publish src/Catalog.Cli -o DIR` of one build; e.g. the
#        base from `git worktree add /tmp/base <commit>`); ROUNDS=3. Run bench/import-throughput.sh once first (the trees).
#        LARGE=DIR adds a larger mixed tree to every round (made by `bench/make-mixed-tree.sh DIR 4`: 1,920 files, 1.1 GB).
#        FRAMES=DIR adds a tree of many frames (DIR/data/images; e.g. 20,000 PNGs of 12 KB from
#        `ffmpeg -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 20000 DIR/data/images/frame-%05d.png`).
#        SETTLE=3: seconds of rest before each timed step. Nothing made in a run is removed before its end: this disk's ext4
#        has no journal, and there a new file skips every inode freed in the last 60 s — 360 s while that inode's table block
#        is dirty, as it is while files are made beside it (fs/ext4/ialloc.c, recently_deleted); a copy right after
#        removing 20,000 files took 2-4x longer. Copies, catalogs and databases are set aside (discard) and go with the
#        run's folder at its end: it needs free disk for every copy and catalog of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
declare -A BUILD=([base]=$1/catalog [new]=$2/catalog)
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d /tmp/catalog-import-ab-XXXX); chmod 755 "$WORK"; mkdir "$WORK/discarded"
PORT=5094; B=http://127.0.0.1:$PORT; KEY=bench-admin-key-0123456789abcdef
mkdir -p "$WORK/svc" && chmod 777 "$WORK/svc"
Catalog__DataDirectory=$WORK/svc Catalog__AdminKey=$KEY Urls=$B dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$WORK/api.log" 2>&1 &
API=$!
trap 'kill $API 2>/dev/null || true; wait $API 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 120); do curl -sf "$B/health/ready" >/dev/null && break; sleep 1; done
PGPORT=$(sed -n 4p "$WORK/svc/postgres/postmaster.pid"); export PGPASSWORD=$(cat "$WORK/svc/postgres.password")
PSQL="psql -h 127.0.0.1 -p $PGPORT -U postgres -d catalog -qAt"
mkdir -p "$WORK/small/data/images"; ln -f bench/out/small/*.png "$WORK/small/data/images/"
declare -A TREE=([small]=$WORK/small [mixed]=bench/out/mixed)
TREES="small mixed"; if [ -n "${LARGE:-}" ]; then TREE[large]=$LARGE; TREES="$TREES large"; fi
if [ -n "${FRAMES:-}" ]; then TREE[frames]=$FRAMES; TREES="$TREES frames"; fi
settle() { sync; sleep "${SETTLE:-3}"; }
discard() { local d; for d in "$@"; do if [ -e "$d" ]; then mv "$d" "$WORK/discarded/$(basename "$d").$RANDOM$RANDOM"; fi; done; }
N=0
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }
fresh() { N=$((N + 1)); local db=$1_$N; $PSQL -c "create database $db" 2>/dev/null; mkdir -p "$WORK/$db"; chmod 777 "$WORK/$db"
  export ConnectionStrings__Catalog="Host=127.0.0.1;Port=$PGPORT;Username=postgres;Password=$PGPASSWORD;Database=$db"; export Catalog__DataDirectory=$WORK/$db
  $CLI rebuild > /dev/null; settle; }
CLI=${BUILD[new]}; fresh exp; $CLI import-fs --root bench/out/mixed > /dev/null; $CLI export --out "$WORK/mixed.db" > /dev/null
for r in $(seq 1 "$ROUNDS"); do
  for t in $TREES; do
    settle; s=$(now); cp -r "${TREE[$t]}" "$WORK/cp" && sync; echo "round $r $t cp-r+sync $(since "$s")"; discard "$WORK/cp"
  done
  mkdir "$WORK/out"; settle; s=$(now)
  (cd "$WORK/out" && sqlite3 "$WORK/mixed.db" "select count(writefile('i' || id, binary_data)) from images; select count(writefile('v' || id, binary_data)) from videos; select count(writefile('a' || id, binary_data)) from audio;" >/dev/null && sync)
  echo "round $r mixed sqlite3-writefile+sync $(since "$s")"; discard "$WORK/out"
  if [ $((r % 2)) = 1 ]; then order="base new"; else order="new base"; fi
  for b in $order; do
    CLI=${BUILD[$b]}
    $CLI --help >/dev/null 2>&1 || true   # warm-up after the other build
    for t in $TREES; do
      fresh "ab_$b"; sync; s=$(now); $CLI import-fs --root "${TREE[$t]}" > "$WORK/o" 2>&1; echo "round $r $b $t import-fs $(since "$s") $(grep -E '^ *registered' "$WORK/o" | tr -s ' ')"
    done
    fresh "ab_$b"; sync; s=$(now); $CLI import-db "$WORK/mixed.db" > "$WORK/o" 2>&1; echo "round $r $b mixed import-db $(since "$s") $(grep -E '^ *registered' "$WORK/o" | tr -s ' ')"
  done
done
