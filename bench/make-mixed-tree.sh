#!/usr/bin/env bash
# A media folder as a user migrating from the seed's app would have one: the seed's layout, mixed kinds,
# formats and sizes (~0.6 MB a file), made deterministically with ffmpeg and sox (the same bytes every run).
# Usage: bench/make-mixed-tree.sh DIR [SCALE]   → DIR/data/{images,videos,audio,productions}, DIR/done when complete.
#   SCALE (default 1) multiplies every count (SCALE=4: 1,920 media files, ~1 GB), each file still different.
#   250 images: 100 noisy PNG (640x480), 100 JPEG (1920x1080), 50 WebP (1280x720)
#   120 clips:   80 MP4 (H.264, 640x360, 24 fps, 3 s), 40 WebM (VP8, 480x270, 25 fps, 2 s)
#   110 tracks:  70 WAV (44.1 kHz stereo, 3 s), 40 MP3 (128 kb/s, 30 s)
#   20 production JSON files whose storyboards name the clips (clip_NNN).
set -euo pipefail
ROOT=${1:?usage: make-mixed-tree.sh DIR [SCALE]}
S=${2:-1}
[ -f "$ROOT/done" ] && exit 0
D=$ROOT/data
mkdir -p "$D/images" "$D/videos" "$D/audio" "$D/productions"
F="ffmpeg -v error -y -nostdin"

for i in $(seq -w 1 $((100 * S))); do
  $F -f lavfi -i "color=c=0x$(printf %02x $((10#$i * 2 % 256)))6080:s=640x480,noise=alls=$((20 + 10#$i % 40)):allf=t+u:all_seed=$((10#$i))" -frames:v 1 "$D/images/still_$i.png"
  $F -f lavfi -i "testsrc2=size=1920x1080:rate=1,noise=alls=30:allf=u:all_seed=$((10#$i))" -frames:v 1 -q:v 5 "$D/images/photo_$i.jpg"
done
for i in $(seq -w 1 $((50 * S))); do
  $F -f lavfi -i "mandelbrot=size=1280x720:start_scale=$((10#$i % 50 + 1)).0:maxiter=$((100 + 10#$i))" -frames:v 1 -quality 90 "$D/images/board_$i.webp"
done
for i in $(seq -w 1 $((80 * S))); do
  $F -f lavfi -i "testsrc2=size=640x360:rate=24,hue=h=$((10#$i * 4 % 360)),noise=alls=$((4 + 10#$i % 8)):allf=t:all_seed=$((10#$i))" -t 3 \
     -c:v libx264 -preset veryfast -crf 22 -pix_fmt yuv420p -threads 1 "$D/videos/clip_$i.mp4"
done
for i in $(seq -w 1 $((40 * S))); do
  $F -f lavfi -i "testsrc=size=480x270:rate=25,hue=h=$((10#$i * 9 % 360))" -t 2 -c:v libvpx -b:v 1500k -deadline realtime -cpu-used 8 -threads 1 \
     "$D/videos/lyric_$i.webm"
done
for i in $(seq -w 1 $((70 * S))); do
  sox -n -r 44100 -b 16 -c 2 "$D/audio/stem_$i.wav" synth 3 sine $((100 + 10#$i * 7)) sine $((300 + 10#$i * 11))
done
for i in $(seq -w 1 $((40 * S))); do
  $F -f lavfi -i "sine=frequency=$((200 + 10#$i * 13)):sample_rate=44100:duration=30" -c:a libmp3lame -b:a 128k "$D/audio/song_$i.mp3"
done
for p in $(seq -w 1 $((20 * S))); do
  clips=$(for c in 1 2 3 4; do printf '{"clip_id":"clip_%03d","prompt":"scene %s of production %s"},' $(( (10#$p - 1) * 4 + c )) "$c" "$p"; done)
  printf '{"id":"prod_mv%s","title":"Production %s","artist":"Artist %s","status":"completed","storyboard":{"scenes":[%s]}}\n' \
    "$p" "$p" "$((10#$p % 7))" "${clips%,}" > "$D/productions/prod_mv$p.json"
done
touch "$ROOT/done"
