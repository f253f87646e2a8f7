#!/usr/bin/env bash
# Peak memory of the API while it takes one large upload, and the same file served back.
# Usage: bench/upload-memory.sh [size-in-MB]   (default 500). Needs ffmpeg, curl.
# Starts the API from this checkout on port 5099 with a throw-away data directory, so it never
# touches ./catalog-data. Prints the API's peak RSS (VmHWM) before and after, and the throughput.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-500}
WORK=$(mktemp -d /tmp/catalog-bench-XXXX); chmod 755 "$WORK"
PORT=5099
trap 'kill $API 2>/dev/null || true; wait $API 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== a real ${SIZE_MB} MB video (lossless H.264 of ffmpeg's test pattern)"
# testsrc2 at 1080p, lossless: about 0.8-1 MB per second of video; cut to the size asked for.
ffmpeg -v error -y -f lavfi -i testsrc2=size=1920x1080:rate=30 -t $((SIZE_MB)) \
  -c:v libx264 -preset ultrafast -qp 0 -fs $((SIZE_MB * 1024 * 1024)) "$WORK/big.mp4"
ls -l "$WORK/big.mp4"

dotnet build -c Release src/Catalog.Api >/dev/null
# The service's first admin key, set rather than printed (as automation does): the uploads are writes.
KEY=$(head -c 32 /dev/urandom | base64 | tr -d '=+/')
export Catalog__AdminKey=$KEY
Catalog__DataDirectory="$WORK/data" Urls="http://127.0.0.1:$PORT" \
  dotnet src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll > "$WORK/api.log" 2>&1 &
API=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/swagger/v1/swagger.json" >/dev/null && break; sleep 1; done
# Warm up the code paths (Wolverine compiles each endpoint on first use) with a small upload.
ffmpeg -v error -y -f lavfi -i testsrc=size=320x240:rate=24 -t 1 "$WORK/small.mp4"
curl -sf -H "Authorization: Bearer $KEY" -X POST "http://127.0.0.1:$PORT/api/videos" -F file=@"$WORK/small.mp4" -F video_type=clip >/dev/null
curl -sf "http://127.0.0.1:$PORT/api/media/video/1" -o /dev/null

hwm() { awk '/VmHWM/ {print $2}' /proc/$API/status; }
BEFORE=$(hwm)
START=$(date +%s.%N)
curl -sf -H "Authorization: Bearer $KEY" -X POST "http://127.0.0.1:$PORT/api/videos" -F file=@"$WORK/big.mp4" -F video_type=final -o "$WORK/registered.json"
END=$(date +%s.%N)
AFTER_UPLOAD=$(hwm)
curl -sf "http://127.0.0.1:$PORT/api/media/video/2" -o "$WORK/back.mp4"
AFTER_SERVE=$(hwm)

BYTES=$(stat -c %s "$WORK/big.mp4")
cmp "$WORK/big.mp4" "$WORK/back.mp4" && echo "bytes served back: identical"
echo "file:                    $((BYTES / 1024 / 1024)) MB"
echo "peak RSS before upload:  $((BEFORE / 1024)) MB"
echo "peak RSS after upload:   $((AFTER_UPLOAD / 1024)) MB  (+$(( (AFTER_UPLOAD - BEFORE) / 1024 )) MB)"
echo "peak RSS after serving:  $((AFTER_SERVE / 1024)) MB  (+$(( (AFTER_SERVE - BEFORE) / 1024 )) MB)"
awk -v b="$BYTES" -v s="$START" -v e="$END" 'BEGIN { printf "upload:                  %.1f s, %.0f MB/s (curl → API → blob store, fsync, event)\n", e - s, b / 1048576 / (e - s) }'
