#!/usr/bin/env bash
# NetVips vs SkiaSharp for image thumbnails (256 px WebP) and previews (1440 px JPEG).
# Usage: bench/thumbnail-libraries.sh [libraries...]   (default: netvips skiasharp)
# Makes a deterministic corpus with ImageMagick (fractal plasma, seeds 7.., blur + light noise + a few shapes):
# 20 images x {1024x576, 1920x1080} x {PNG, JPEG q90, WebP q90} = 120 files in bench/out/thumbnail-libraries/corpus,
# builds bench/thumbnail-libraries in Release and runs it once per library and group (a separate process each, so
# the peak RSS is that library's alone), then once per library over all groups. PASSES=3 timed passes per column.
# Results: bench/out/thumbnail-libraries/results.md (raw numbers: runs/*.json; outputs kept in runs/outputs/).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=bench/out/thumbnail-libraries
CORPUS=$OUT/corpus
PER_GROUP=20
LIBS=("$@"); [ ${#LIBS[@]} -gt 0 ] || LIBS=(netvips skiasharp)

# The real ImageMagick (/usr/local/bin/convert may be a wrapper around it).
CONVERT=/usr/bin/convert
[ -x "$CONVERT" ] || CONVERT=$(command -v convert || true)
if [ -z "$CONVERT" ]; then apt-get update && apt-get install -y imagemagick; CONVERT=/usr/bin/convert; fi

mkdir -p "$CORPUS"
make_one() { # size index
  local size=$1 i=$2 w=${1%x*} h=${1#*x}
  local base="$CORPUS/img-${size}-$(printf %02d "$i")"
  [ -s "$base.webp" ] && [ -s "$base.jpg" ] && [ -s "$base.png" ] && return 0
  local cx=$(( (i * 97) % w )) cy=$(( (i * 53) % h )) r=$(( h / 6 + i * 7 ))
  "$CONVERT" -seed $((7 + i)) -size "$size" plasma:fractal -blur 0x2 \
    -fill "rgba(240,230,200,0.55)" -draw "circle $cx,$cy $((cx + r)),$cy" \
    -fill "rgba(20,30,60,0.6)" -draw "rectangle $((w / 8)),$((h * 2 / 3)) $((w / 8 + w / 5)),$((h - h / 12))" \
    -attenuate 0.25 +noise Gaussian -depth 8 \
    +set date:create +set date:modify -define png:exclude-chunks=date,time "$base.png"
  "$CONVERT" "$base.png" -quality 90 "$base.jpg"
  "$CONVERT" "$base.png" -quality 90 "$base.webp"
}
export -f make_one; export CORPUS CONVERT
have=$(find "$CORPUS" -maxdepth 1 -type f \( -name '*.png' -o -name '*.jpg' -o -name '*.webp' \) | wc -l)
if [ "$have" -ne $((PER_GROUP * 6)) ]; then
  echo "== corpus ($((PER_GROUP * 6)) files) -> $CORPUS"
  for size in 1024x576 1920x1080; do for i in $(seq 1 $PER_GROUP); do echo "$size $i"; done; done \
    | xargs -P 2 -n 2 bash -c 'make_one "$0" "$1"'
fi
echo "corpus: $(find "$CORPUS" -maxdepth 1 -type f | wc -l) files, $(du -sh "$CORPUS" | cut -f1)"

echo "== build"
dotnet build -c Release bench/thumbnail-libraries/ThumbnailLibraries.csproj -nologo -v q
DLL=bench/thumbnail-libraries/bin/Release/net10.0/ThumbnailLibraries.dll

PASSES=${PASSES:-3}
rm -rf "$OUT/runs"; mkdir -p "$OUT/runs"
for lib in "${LIBS[@]}"; do
  # One process per (library, group): its peak RSS is that group's alone.
  for group in 1024x576-jpg 1024x576-png 1024x576-webp 1920x1080-jpg 1920x1080-png 1920x1080-webp; do
    echo "== $lib $group"
    dotnet "$DLL" "$lib" "$CORPUS" "$OUT/runs/$lib-$group.json" "$PASSES" "$group"
  done
  # And one process doing every group in turn, for a long-running process's peak RSS.
  echo "== $lib, all groups in one process"
  dotnet "$DLL" "$lib" "$CORPUS" "$OUT/runs/$lib-all.json" 1
done
dotnet "$DLL" report "$OUT/runs" "$OUT/results.md"
cat "$OUT/results.md"
