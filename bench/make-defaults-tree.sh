#!/usr/bin/env bash
# A media folder unlike the bench's own trees: what ImageMagick, ffmpeg and sox write with (near) their defaults, larger
# and more varied files (~0.8 MB a file), images in nested folders, names in upper and lower case. Deterministic.
# Usage: bench/make-defaults-tree.sh DIR   → DIR/data/{images,videos,audio}, DIR/done when complete (~6 min).
#   150 images: 40 plasma PNGs (656x489 … 1280x840), 60 plasma JPEGs (1920x1080, IMG_1001.JPG …), 30 noisy gradient WebPs,
#               20 small drawn PNGs (256x256)
#    65 clips:  40 MP4 (H.264 ultrafast + AAC, 1280x720, 30 fps, 2–8 s), 15 WebM (VP8, 854x480, 24 fps, 3 s),
#               10 MOV (SMPTE bars, 1920x1080, 25 fps, 2 s)
#   105 tracks: 40 WAV (44.1 kHz 16-bit stereo, 3–12 s), 30 MP3 (pink noise, 192 kb/s, 10–29 s), 20 FLAC (96 kHz 24-bit, 4 s),
#               15 Ogg Vorbis (brown noise, 8 s)
set -euo pipefail
ROOT=${1:?usage: make-defaults-tree.sh DIR}
[ -f "$ROOT/done" ] && exit 0
D="$ROOT/data"
mkdir -p "$D/images/shoot" "$D/images/misc" "$D/videos" "$D/audio"
F="ffmpeg -v error -y -nostdin"
for i in $(seq 1 40); do convert -seed $i -size $((640 + i*16))x$((480 + i*9)) plasma: "$D/images/shoot/plasma_$i.png"; done
for i in $(seq 1 60); do convert -seed $((i+100)) -size 1920x1080 plasma:red-blue -quality 90 "$D/images/shoot/IMG_$((1000+i)).JPG"; done
for i in $(seq 1 30); do convert -seed $i -size 800x600 gradient:white-navy -attenuate 0.$((i%9+1)) +noise Gaussian "$D/images/misc/grad_$i.webp"; done
for i in $(seq 1 20); do convert -size 256x256 xc:skyblue -fill red -draw "circle 128,128 $((100+i)),$((20+i))" "$D/images/misc/icon_$i.png"; done
for i in $(seq 1 40); do $F -f lavfi -i "testsrc=size=1280x720:rate=30" -f lavfi -i "sine=frequency=$((300+i*10))" -t $((2 + i % 7)) -c:v libx264 -preset ultrafast -pix_fmt yuv420p -c:a aac -threads 1 "$D/videos/clip_$i.mp4"; done
for i in $(seq 1 15); do $F -f lavfi -i "testsrc2=size=854x480:rate=24" -t 3 -c:v libvpx -b:v 2M -deadline realtime -cpu-used 8 -threads 1 "$D/videos/vp8_$i.webm"; done
for i in $(seq 1 10); do $F -f lavfi -i "smptebars=size=1920x1080:rate=25" -t 2 -c:v libx264 -preset ultrafast -pix_fmt yuv420p -threads 1 "$D/videos/bars_$i.mov"; done
for i in $(seq 1 40); do sox -n -r 44100 -b 16 -c 2 "$D/audio/tone_$i.wav" synth $((3 + i % 10)) sine $((200 + i*20)); done
for i in $(seq 1 30); do $F -f lavfi -i "anoisesrc=color=pink:seed=$i:sample_rate=44100:duration=$((10 + i % 20))" -ac 2 -c:a libmp3lame -b:a 192k "$D/audio/track_$i.mp3"; done
for i in $(seq 1 20); do sox -R -n -r 96000 -b 24 -c 2 "$D/audio/hires_$i.flac" synth 4 sine $((500+i)); done
for i in $(seq 1 15); do sox -R -n -r 48000 -c 2 "$D/audio/amb_$i.ogg" synth 8 brownnoise; done
touch "$ROOT/done"
