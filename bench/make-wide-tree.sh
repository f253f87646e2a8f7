#!/usr/bin/env bash
# A wider media folder than make-mixed-tree.sh's: what a production's folder holds after a few tools have written into it —
# 14 formats, among them browsers' and live encoders' fragmented MP4 recordings, QuickTime takes, Matroska, animated
# GIFs, 24-bit WAV, AAC in M4A, FLAC, Ogg Vorbis, Opus and AIFF. Made deterministically with ffmpeg and sox.
# Usage: bench/make-wide-tree.sh DIR   → DIR/data/{images,videos,audio,productions}, DIR/done when complete (~6 min).
#   190 images: 60 noisy PNG (800x600), 60 JPEG (1600x900), 40 WebP (1024x576), 30 animated GIF (320x240, 2 s)
#   140 clips:  40 MP4 (H.264, 640x360, 30 fps, 3 s), 30 fragmented MP4 with AAC (640x360, 25 fps, 3 s; a recorder's),
#               20 MOV (960x540, 24 fps, 2 s), 30 WebM (VP8, 480x270, 2 s), 20 MKV (H.264, 640x360, 50 fps, 2 s)
#   150 tracks: 40 WAV (48 kHz 24-bit, 2 s), 30 MP3 (160 kb/s, 20 s), 20 M4A (AAC, 20 s), 20 FLAC (48 kHz, 5 s),
#               20 Ogg Vorbis (20 s), 10 Opus (20 s), 10 AIFF (3 s)
#   10 production JSON files, each naming one clip.
set -euo pipefail
ROOT=${1:?usage: make-wide-tree.sh DIR}
[ -f "$ROOT/done" ] && exit 0
D="$ROOT/data"
mkdir -p "$D/images" "$D/videos" "$D/audio" "$D/productions"
F="ffmpeg -v error -y -nostdin"
for i in $(seq -w 1 60); do
  $F -f lavfi -i "color=c=0x$(printf %02x $((10#$i * 3 % 256)))6080:s=800x600,noise=alls=$((20 + 10#$i % 40)):allf=t+u:all_seed=$((10#$i))" -frames:v 1 "$D/images/w_$i.png"
  $F -f lavfi -i "testsrc2=size=1600x900:rate=1,noise=alls=30:allf=u:all_seed=$((10#$i+500))" -frames:v 1 -q:v 4 "$D/images/w_$i.jpg"
done
for i in $(seq -w 1 40); do $F -f lavfi -i "mandelbrot=size=1024x576:start_scale=$((10#$i % 40 + 2)).0" -frames:v 1 -quality 85 "$D/images/w_$i.webp"; done
for i in $(seq -w 1 30); do $F -f lavfi -i "testsrc=size=320x240:rate=10,hue=h=$((10#$i*11))" -t 2 "$D/images/anim_$i.gif"; done
for i in $(seq -w 1 40); do $F -f lavfi -i "testsrc2=size=640x360:rate=30,noise=alls=6:allf=t:all_seed=$((10#$i))" -t 3 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -threads 1 "$D/videos/gen_$i.mp4"; done
for i in $(seq -w 1 30); do $F -f lavfi -i "testsrc2=size=640x360:rate=25,hue=h=$((10#$i*7))" -f lavfi -i "sine=frequency=$((300+10#$i)):sample_rate=48000" -t 3 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -threads 1 -c:a aac -movflags frag_keyframe+empty_moov+default_base_moof "$D/videos/rec_$i.mp4"; done
for i in $(seq -w 1 20); do $F -f lavfi -i "testsrc2=size=960x540:rate=24,hue=h=$((10#$i*13))" -t 2 -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -threads 1 "$D/videos/take_$i.mov"; done
for i in $(seq -w 1 30); do $F -f lavfi -i "testsrc=size=480x270:rate=25,hue=h=$((10#$i*9))" -t 2 -c:v libvpx -b:v 1500k -deadline realtime -cpu-used 8 -threads 1 "$D/videos/lyric_$i.webm"; done
for i in $(seq -w 1 20); do $F -f lavfi -i "testsrc2=size=640x360:rate=50,hue=h=$((10#$i*5))" -t 2 -c:v libx264 -preset veryfast -crf 25 -pix_fmt yuv420p -threads 1 "$D/videos/hfr_$i.mkv"; done
for i in $(seq -w 1 40); do sox -n -r 48000 -b 24 -c 2 "$D/audio/stem_$i.wav" synth 2 sine $((100 + 10#$i * 7)); done
for i in $(seq -w 1 30); do $F -f lavfi -i "sine=frequency=$((200 + 10#$i * 13)):sample_rate=44100:duration=20" -c:a libmp3lame -b:a 160k "$D/audio/song_$i.mp3"; done
for i in $(seq -w 1 20); do $F -f lavfi -i "sine=frequency=$((250 + 10#$i * 13)):sample_rate=44100:duration=20" -c:a aac -b:a 160k "$D/audio/mix_$i.m4a"; done
for i in $(seq -w 1 20); do $F -f lavfi -i "sine=frequency=$((150 + 10#$i * 13)):sample_rate=48000:duration=5" -c:a flac "$D/audio/master_$i.flac"; done
for i in $(seq -w 1 20); do $F -f lavfi -i "sine=frequency=$((350 + 10#$i * 13)):sample_rate=44100:duration=20" -c:a libvorbis -q:a 5 "$D/audio/demo_$i.ogg"; done
for i in $(seq -w 1 10); do $F -f lavfi -i "sine=frequency=$((450 + 10#$i * 13)):sample_rate=48000:duration=20" -c:a libopus -b:a 96k "$D/audio/voice_$i.opus"; done
for i in $(seq -w 1 10); do sox -n -r 44100 -b 16 -c 2 "$D/audio/take_$i.aiff" synth 3 sine $((500 + 10#$i * 7)); done
for p in $(seq -w 1 10); do printf '{"id":"prod_w%s","title":"Wide %s","storyboard":{"scenes":[{"clip_id":"gen_%s"}]}}\n' $p $p $p > "$D/productions/prod_w$p.json"; done
touch "$ROOT/done"
