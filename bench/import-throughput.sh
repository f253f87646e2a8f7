#!/usr/bin/env bash
# The file-system import's throughput and memory, beside `cp -r` of the same tree (the physical reference).
# Usage: bench/import-throughput.sh        (needs ffmpeg, sox, /usr/bin/time)
#
# 1. Makes (once) the export benchmark's corpus in bench/out/corpus (~350 MB of real media: a ~200 MB video,
#    six ~8 MB clips, twelve noisy 1080p PNGs, four WAVs) and 2,000 small PNG frames (320x240) in
#    bench/out/small, and lays both out as the seed's tree: ROOT/data/{videos,images,audio}/ (hard links).
# 2. For each tree: `cp -r` + `sync` three times (copying the bytes and flushing them, as the import must),
#    then `catalog import-fs --parallel ${PARALLEL:-4}` into a fresh catalog (private PostgreSQL) three times
#    with ffprobe and once with MetadataExtractor only (Catalog__Ffprobe=off), under /usr/bin/time -v. The import's own summary gives its seconds and MB/s
#    (without the cluster's start); the wall time includes it.
# 3. Runs the same import again: everything is skipped (hashed, nothing written). Exports that catalog and
#    imports the assets.db into an empty one (import-db).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=$PWD/bench/out
CORPUS=$OUT/corpus
SMALL=$OUT/small
WORK=$(mktemp -d /tmp/catalog-import-bench-XXXX); chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT

[ -f "$CORPUS/done" ] || { echo "making the corpus: run bench/export-throughput.sh once first (it makes bench/out/corpus)"; exit 1; }
if [ ! -f "$SMALL/done" ]; then
  mkdir -p "$SMALL"
  ffmpeg -v error -y -f lavfi -i testsrc2=size=320x240:rate=25 -frames:v 2000 "$SMALL/frame-%04d.png"
  touch "$SMALL/done"
fi

mkdir -p "$WORK/large/data/videos" "$WORK/large/data/images" "$WORK/large/data/audio" "$WORK/small/data/images"
ln "$CORPUS"/*.mp4 "$WORK/large/data/videos/"
ln "$CORPUS"/*.png "$WORK/large/data/images/"
ln "$CORPUS"/*.wav "$WORK/large/data/audio/"
ln "$SMALL"/*.png "$WORK/small/data/images/"

dotnet build -c Release src/Catalog.Cli >/dev/null
CLI="dotnet $PWD/src/Catalog.Cli/bin/Release/net10.0/catalog.dll"

measure() { # label, command...; prints the command's last lines, then wall seconds and peak RSS
  local label=$1; shift
  /usr/bin/time -v -o "$WORK/$label.time" "$@" > "$WORK/$label.out" 2>&1 || true
  grep -E 'registered|skipped|MB read|failed|unrecognised' "$WORK/$label.out" | grep -v '^import:' | tr -s ' ' | paste -sd ';' || true
  awk -v l="$label" -F': ' '/Elapsed \(wall clock\)/ {w=$2} /Maximum resident set size/ {r=$2} END {printf "%s: wall %s, peak RSS %.0f MB\n", l, w, r/1024}' "$WORK/$label.time"
}

for tree in large small; do
  echo "== $tree: $(find "$WORK/$tree/data" -type f | wc -l) files, $(du -sLh "$WORK/$tree/data" | cut -f1)"
  for run in 1 2 3; do
    sync
    start=$(date +%s.%N)
    cp -r "$WORK/$tree" "$WORK/$tree-copy" && sync
    echo "cp -r + sync (run $run): $(echo "$(date +%s.%N) - $start" | bc) s"
    rm -rf "$WORK/$tree-copy"; sync
  done

  for run in ffprobe-1 ffprobe-2 ffprobe-3 off; do
    data=$WORK/data-$tree-$run
    mkdir -p "$data" && chmod 777 "$data"
    if [ "$run" = off ]; then export Catalog__Ffprobe=off; else unset Catalog__Ffprobe; fi
    sync
    (cd "$WORK" && Catalog__DataDirectory=$data measure "import-$tree-$run" $CLI import-fs --root "$WORK/$tree" --parallel "${PARALLEL:-4}")
    if [ "$run" = ffprobe-1 ]; then
      (cd "$WORK" && Catalog__DataDirectory=$data measure "again-$tree" $CLI import-fs --root "$WORK/$tree")
      # The catalog exported, then that assets.db imported into an empty catalog (import-db).
      (cd "$WORK" && Catalog__DataDirectory=$data $CLI export --out "$WORK/$tree.db" > /dev/null)
      mkdir -p "$data-db" && chmod 777 "$data-db"
      (cd "$WORK" && Catalog__DataDirectory=$data-db measure "import-db-$tree" $CLI import-db "$WORK/$tree.db")
      rm -rf "$data-db" "$WORK/$tree.db"
    fi
    rm -rf "$data"
  done
  unset Catalog__Ffprobe
done
