#!/usr/bin/env bash
# The media endpoints beside nginx serving the same blob files (issue: "reads at the static-file limit"). Usage:
#   bench/media-load.sh [seconds-per-run] [connections]      (defaults 10, 16; WARM=15 seconds of warm-up a request;
#   needs ffmpeg, wrk, nginx, curl)
#
# Makes a ~30 KB PNG and a ~5 MB H.264 MP4 with ffmpeg, uploads them into a fresh catalog (Release build, its own
# private PostgreSQL), then runs wrk on /api/media/image/1, its thumbnail, /api/media/video/1 and on nginx (stock
# static-file settings: sendfile on, 2 workers) serving the same files from the catalog's blob store.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-16}
ROOT=$PWD
OUT=$ROOT/bench/out/media
DATA=$OUT/catalog-data
PORT=5091
NGINX_PORT=5092
KEY=media-bench-admin-key-0123456789abcdef
mkdir -p "$OUT"
rm -rf "$DATA"

[ -f "$OUT/still.png" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x400" -frames:v 1 "$OUT/still.png"
[ -f "$OUT/clip.mp4" ] || ffmpeg -v error -y -f lavfi -i "testsrc2=size=1280x720:rate=24" -t 10 -c:v libx264 -preset veryfast -b:v 4M -pix_fmt yuv420p "$OUT/clip.mp4"
dotnet build -c Release src/Catalog.Api >/dev/null

Catalog__DataDirectory=$DATA Catalog__AdminKey=$KEY Urls=http://127.0.0.1:$PORT \
  dotnet "$ROOT/src/Catalog.Api/bin/Release/net10.0/Catalog.Api.dll" > "$OUT/service.log" 2>&1 &
SERVICE=$!
cat > "$OUT/nginx.conf" <<NGINX
worker_processes 2;
pid $OUT/nginx.pid;
error_log $OUT/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  include /etc/nginx/mime.types;
  server { listen 127.0.0.1:$NGINX_PORT; root $DATA/blobs; }
}
NGINX
trap 'kill $SERVICE 2>/dev/null || true; nginx -c "$OUT/nginx.conf" -s stop 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health/live" >/dev/null && break; sleep 0.25; done

B=http://127.0.0.1:$PORT
H="Authorization: Bearer $KEY"
IMAGE=$(curl -sf -X POST "$B/api/images" -H "$H" -F file=@"$OUT/still.png" -F image_type=generated | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"], d["sha256"])')
VIDEO=$(curl -sf -X POST "$B/api/videos" -H "$H" -F file=@"$OUT/clip.mp4" -F video_type=clip | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["id"], d["sha256"])')
read -r IMAGE_ID IMAGE_SHA <<< "$IMAGE"
read -r VIDEO_ID VIDEO_SHA <<< "$VIDEO"
sleep 2   # the thumbnails made in the background
nginx -c "$OUT/nginx.conf"
blob() { echo "http://127.0.0.1:$NGINX_PORT/${1:0:2}/$1"; }   # the blob store's layout: blobs/ab/<sha256>
cmp <(curl -sf "$B/api/media/image/$IMAGE_ID") "$OUT/still.png"
cmp <(curl -sf "$(blob "$IMAGE_SHA")") "$OUT/still.png"

WARM=${WARM:-15}
wrk_run() { # name url
  # Warm: the JIT recompiles the hot path with its profile (tiered PGO) only after some seconds of load; 2 s of warm-up
  # measured half the steady rate of a small image.
  wrk -t2 -c$CONNECTIONS -d${WARM}s "$2" > /dev/null
  wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s --latency "$2" > "$OUT/$1.wrk"
  printf "| %-22s | %10s | %9s | %8s |\n" "$1" "$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.wrk")" \
    "$(awk '/Transfer\/sec/ {print $2}' "$OUT/$1.wrk")" "$(awk '$1 == "99%" {print $2}' "$OUT/$1.wrk")"
}
echo "image $(stat -c %s "$OUT/still.png") bytes, video $(stat -c %s "$OUT/clip.mp4") bytes; wrk -t2 -c$CONNECTIONS -d${SECONDS_PER_RUN}s"
echo "| request                |      req/s |  transfer | p99      |"
echo "|---|---|---|---|"
wrk_run catalog-image   "$B/api/media/image/$IMAGE_ID"
wrk_run nginx-image     "$(blob "$IMAGE_SHA")"
wrk_run catalog-thumbnail "$B/api/media/image/$IMAGE_ID/thumbnail"
wrk_run catalog-video   "$B/api/media/video/$VIDEO_ID"
wrk_run nginx-video     "$(blob "$VIDEO_SHA")"
