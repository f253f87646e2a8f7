#!/usr/bin/env bash
# Thumbnails and previews (issue: "browse by looking"). Usage, from anywhere:
#   bench/thumbnails.sh            (needs ffmpeg, sox, curl; makes bench/out/mixed with bench/make-mixed-tree.sh)
#
# 1. Imports the mixed tree (250 images: 640x480 PNG, 1920x1080 JPEG, 1280x720 WebP; 120 clips; 110 tracks) into a
#    fresh catalog with `catalog import-fs`, then starts the service: its start asks for every missing thumbnail, made
#    in the background one at a time. Times that until every asset has one → thumbnails/s by kind, as made for real.
# 2. Removes the renditions and asks for them over HTTP, 2 clients at a time (made on request, both cores) → images/s
#    for thumbnails and for previews.
# 3. The grid's first screen: the first page of 48 images as the gallery page loads it (the list, then its 48
#    pictures, 6 at a time as a browser does), with thumbnails and with the full-size originals: bytes and wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/bench/out/thumbnails
DATA=$OUT/catalog-data
PORT=5095
B=http://127.0.0.1:$PORT
mkdir -p "$OUT"

bench/make-mixed-tree.sh bench/out/mixed
dotnet build -c Release src/Catalog.Api >/dev/null
dotnet build -c Release src/Catalog.Cli >/dev/null
API="dotnet $ROOT/src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll"
CLI="dotnet $ROOT/src/Catalog.Cli/bin/Release/net10.0/catalog.dll"
now() { date +%s.%N; }
secs() { awk -v s="$1" -v e="$2" 'BEGIN {printf "%.2f", e - s}'; }
count() { find "$DATA/renditions/$1" -name '*.webp' 2>/dev/null | wc -l; }

echo "== importing bench/out/mixed into a fresh catalog ($DATA)"
rm -rf "$DATA"
Catalog__DataDirectory=$DATA $CLI import-fs --root bench/out/mixed | grep -E '^ *(registered|failed) ' || true

START=$(now)
Catalog__DataDirectory=$DATA Catalog__AdminKey=thumbnail-bench-admin-key-0123456789 Urls=$B $API > "$OUT/service.log" 2>&1 &
SERVICE=$!
trap 'kill $SERVICE 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "$B/health/live" >/dev/null && break; sleep 0.25; done
UP=$(now)
ASSETS=$(curl -sf "$B/api/gallery/stats" | python3 -c 'import json,sys; s=json.load(sys.stdin); print(s["images"]["count"]+s["videos"]["count"]+s["audio"]["count"])')
IMAGES=$(curl -sf "$B/api/gallery/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["images"]["count"])')
echo "service up in $(secs "$START" "$UP") s; $ASSETS assets ($IMAGES images)"

echo
echo "== 1. background: the thumbnails the service's start asks for (one at a time)"
while [ "$(count thumbnail)" -lt "$ASSETS" ]; do
  sleep 0.2
  if [ "$(secs "$UP" "$(now)" | cut -d. -f1)" -gt 600 ]; then echo "not all made in 600 s: $(count thumbnail)"; break; fi
done
DONE=$(now)
T=$(secs "$UP" "$DONE")
echo "$(count thumbnail) thumbnails in $T s: $(awk -v n="$ASSETS" -v t="$T" 'BEGIN {printf "%.1f", n / t}') assets/s (images, video frames and waveforms together)"

ids() { for offset in 0 200 400 600 800; do
  curl -sf "$B/api/gallery/$1?limit=200&offset=$offset" | python3 -c 'import json,sys; [print(i["id"]) for i in json.load(sys.stdin)["items"]]'; done; }
ids images > "$OUT/image-ids"; ids videos > "$OUT/video-ids"; ids audio > "$OUT/audio-ids"

on_request() { # kind ids-file size
  rm -rf "$DATA/renditions"
  local start end n
  n=$(wc -l < "$2")
  start=$(now)
  xargs -P2 -I{} curl -sf -o /dev/null "$B/api/media/$1/{}/$3" < "$2"
  end=$(now)
  printf "| %-6s | %-9s | %5d | %7s s | %8s/s |\n" "$1" "$3" "$n" "$(secs "$start" "$end")" "$(awk -v n="$n" -v t="$(secs "$start" "$end")" 'BEGIN {printf "%.1f", n / t}')"
}
echo
echo "== 2. on request, 2 clients (the renditions removed before each row)"
echo "| kind   | size      | count | wall      | rate       |"
echo "|---|---|---|---|---|"
on_request image "$OUT/image-ids" thumbnail
on_request image "$OUT/image-ids" preview
on_request video "$OUT/video-ids" thumbnail
on_request audio "$OUT/audio-ids" thumbnail

echo
echo "== 3. the grid's first screen: the list and its 48 pictures, 6 at a time (as a browser), warm"
screen() { # suffix label — one curl, 6 transfers at a time over kept-alive connections, as a browser loads a page
  local start end bytes urls
  urls=$(head -48 "$OUT/image-ids" | sed "s|.*|$B/api/media/image/&$1|")
  curl -sf --no-progress-meter -Z --parallel-max 6 $(for u in $urls; do echo "$u -o /dev/null"; done) # warm
  start=$(now)
  bytes=$( { curl -sf "$B/api/gallery/images?limit=48" -w '%{size_download}\n' -o /dev/null
             curl -sf --no-progress-meter -Z --parallel-max 6 -w '%{size_download}\n' $(for u in $urls; do echo "$u -o /dev/null"; done); } | awk '{s += $1} END {print s}')
  end=$(now)
  printf "| %-22s | %12s | %7s ms |\n" "$2" "$bytes" "$(awk -v t="$(secs "$start" "$end")" 'BEGIN {printf "%.0f", t * 1000}')"
}
echo "| first screen (48)      |        bytes |    wall    |"
echo "|---|---|---|"
screen /thumbnail "thumbnails (WebP)"
screen "" "originals"
