#!/usr/bin/env bash
# One file of each encoder variant a real media folder holds (91 files, ~25 MB, ~25 s): what the in-process readers must
# read without ffprobe, and the kind each must get (BENCHMARKS.md, "A folder of every encoder variant").
# Usage: bench/make-variants-tree.sh DIR   → DIR/data/{images,videos,audio}, DIR/done when complete.
# Then, with the service running: catalog import-fs --root DIR; an ffprobe that logs its last argument
# (Catalog__Ffprobe=/path/to/wrapper) shows which files it was asked about (the Theora clip, HEVC in a transport
# stream, the WMV's frame rate, WavPack).
set -euo pipefail
ROOT=${1:?usage: make-variants-tree.sh DIR}
[ -f "$ROOT/done" ] && exit 0
mkdir -p "$ROOT/data/videos" "$ROOT/data/audio" "$ROOT/data/images"
cd "$ROOT/data"
V=videos; A=audio; I=images
pic=(-f lavfi -i testsrc2=size=320x240:rate=25 -t 2)
snd=(-f lavfi -i sine=frequency=440:sample_rate=44100 -t 2)
f() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }
f "${pic[@]}" -c:v libx264 -pix_fmt yuv420p $V/h264.mp4
f "${pic[@]}" -c:v libx264 -pix_fmt yuv420p -movflags +faststart $V/h264fast.mp4
f "${pic[@]}" -c:v libx264 -pix_fmt yuv420p -movflags frag_keyframe+empty_moov $V/h264frag.mp4
f "${pic[@]}" -c:v libx264 -pix_fmt yuv420p -f mp4 -movflags frag_keyframe+empty_moov pipe:1 > $V/fragpipe.mp4
f "${pic[@]}" "${snd[@]}" -c:v libx264 -pix_fmt yuv420p -c:a aac -shortest $V/h264aac.mp4
f "${pic[@]}" -c:v libx264 -r 30000/1001 $V/ntsc.mp4
f "${pic[@]}" -c:v libx265 -pix_fmt yuv420p -tag:v hvc1 -x265-params log-level=error $V/hevc.mp4
f "${pic[@]}" -c:v mpeg4 $V/mpeg4.mp4
f "${pic[@]}" -c:v libaom-av1 -cpu-used 8 -t 1 $V/av1.mp4
f "${pic[@]}" -c:v prores $V/prores.mov
f "${pic[@]}" -c:v mjpeg $V/mjpeg.mov
f "${pic[@]}" -c:v libvpx -b:v 500k $V/vp8.webm
f "${pic[@]}" -c:v libvpx -f webm -live 1 $V/vp8live.webm
f "${pic[@]}" -c:v libvpx-vp9 -b:v 500k -deadline realtime $V/vp9.webm
f "${pic[@]}" -c:v libvpx-vp9 -deadline realtime -f webm pipe:1 > $V/vp9pipe.webm
f "${pic[@]}" "${snd[@]}" -c:v libx264 -c:a libopus -shortest -f matroska pipe:1 > $V/pipe.mkv
f "${pic[@]}" "${snd[@]}" -c:v libx264 -c:a aac -shortest $V/h264.mkv
f "${pic[@]}" -c:v mpeg4 $V/mpeg4.avi
f "${pic[@]}" -c:v mjpeg $V/mjpeg.avi
f "${pic[@]}" -c:v libx264 $V/clip.m4v
f -f lavfi -i testsrc2=size=176x144:rate=15 -t 2 -c:v h263 $V/h263.3gp
f "${pic[@]}" -c:v libtheora $V/theora.ogv
for c in pcm_s16le pcm_s24le pcm_f32le pcm_u8 pcm_mulaw; do f "${snd[@]}" -c:a $c $A/${c#pcm_}.wav; done
f "${snd[@]}" -c:a pcm_s16le -rf64 always $A/rf64.wav
f "${snd[@]}" -c:a pcm_s16le -f wav pipe:1 > $A/pipe.wav
f -f lavfi -i sine=sample_rate=48000 -t 2 -ac 6 -c:a pcm_s16le $A/surround.wav
f -f lavfi -i sine=sample_rate=8000 -t 2 -c:a pcm_s16le $A/tel.wav
f "${snd[@]}" -c:a libmp3lame -b:a 128k $A/cbr.mp3
f "${snd[@]}" -c:a libmp3lame -q:a 4 $A/vbr.mp3
f "${snd[@]}" -c:a libmp3lame -q:a 4 -write_xing 0 $A/vbrnoxing.mp3
f -f lavfi -i testsrc2=size=64x64 -frames:v 1 cover.png
f -i $A/cbr.mp3 -i cover.png -map 0:a -map 1:v -c copy -id3v2_version 3 -disposition:v attached_pic $A/cover.mp3 && rm cover.png
f "${snd[@]}" -c:a flac $A/a.flac
f "${snd[@]}" -c:a flac -f flac pipe:1 > $A/pipe.flac
f "${snd[@]}" -c:a libvorbis $A/vorbis.ogg
f "${snd[@]}" -c:a libopus $A/opus.ogg
f "${snd[@]}" -c:a libopus $A/a.opus
f "${snd[@]}" -c:a aac $A/aac.m4a
f "${snd[@]}" -c:a alac $A/alac.m4a
f "${snd[@]}" -c:a aac -f adts $A/adts.aac
f "${snd[@]}" -c:a pcm_s16be $A/a.aiff
f "${snd[@]}" -c:a libopus $A/audio.webm          # sound only in a movie's container: audio tracks
f "${snd[@]}" -c:a libvorbis $A/a.mka
f "${snd[@]}" -c:a aac $A/voice.mp4
for x in a.png interlaced.png deep.png a.jpg progressive.jpg cmyk.jpg a.webp lossless.webp a.bmp a.tiff a.avif a.heic; do
  case $x in
    interlaced.png) o=(-interlace PNG) ;; deep.png) o=(-depth 16) ;; progressive.jpg) o=(-interlace JPEG) ;;
    cmyk.jpg) o=(-colorspace CMYK) ;; lossless.webp) o=(-define webp:lossless=true) ;; *) o=() ;;
  esac
  convert -seed 7 -size 640x480 plasma:fractal "${o[@]}" $I/$x
done
convert -size 64x64 xc:red -colors 4 -type palette PNG8:$I/pal.png
convert -size 64x64 xc:red xc:blue -delay 10 $I/anim.gif
convert -size 64x64 xc:red xc:blue -delay 10 $I/anim.webp
f -f lavfi -i testsrc2=size=320x240 -frames:v 1 $I/ff.png
f -f lavfi -i testsrc2=size=64x48 -frames:v 1 $I/ff.jpg
# The formats beyond the web's (stop 58): broadcast and camcorder streams, older players' and tools' files.
f "${pic[@]}" "${snd[@]}" $V/mpeg2.ts
f "${pic[@]}" "${snd[@]}" -c:v libx264 -pix_fmt yuv420p -c:a aac $V/h264aac.ts
f "${pic[@]}" "${snd[@]}" -c:v libx264 -pix_fmt yuv420p -c:a ac3 -mpegts_m2ts_mode 1 -f mpegts $V/camcorder.m2ts
f "${pic[@]}" -c:v libx265 -x265-params log-level=error $V/hevc.ts
f "${snd[@]}" -c:a aac $A/hls-audio.ts
f "${pic[@]}" "${snd[@]}" $V/mpeg1.mpg
f "${pic[@]}" "${snd[@]}" -target pal-dvd $V/dvd.vob
f "${pic[@]}" "${snd[@]}" $V/flash.flv
f "${pic[@]}" "${snd[@]}" -c:v libx264 -pix_fmt yuv420p -c:a aac $V/h264.flv
f "${pic[@]}" "${snd[@]}" $V/windows.wmv
f "${snd[@]}" $A/windows.wma
f "${snd[@]}" -c:a pcm_s16be $A/sun.au
sox -n -r 8000 -e u-law -b 8 $A/ulaw.au synth 2 sine 440
f "${snd[@]}" -c:a pcm_s24le $A/apple.caf
f "${snd[@]}" -c:a ac3 $A/dolby.ac3
f "${snd[@]}" -c:a eac3 $A/dolby.eac3
f "${snd[@]}" -c:a wavpack $A/pack.wv
convert -seed 7 -size 64x48 plasma:fractal $I/a.ico # icons are at most 256 a side
for x in a.psd a.ppm a.pgm a.tga a.jp2 a.exr a.dds; do convert -seed 7 -size 320x240 plasma:fractal $I/$x; done
convert -seed 7 -size 320x240 plasma:fractal -compress RLE $I/rle.tga
printf '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240"><rect width="320" height="240" fill="#7aa2f7"/></svg>' > $I/drawn.svg
touch "$ROOT/done"
