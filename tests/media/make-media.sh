#!/usr/bin/env bash
# Regenerates the committed media fixtures that cannot be made in code (they need an encoder).
# PNG and WAV test files are generated in code by Catalog.Testing.TestMedia.
# Needs ffmpeg (apt-get install ffmpeg). The outputs are committed, so tests
# and CI do not need either to exist.
set -euo pipefail
cd "$(dirname "$0")"
ff() { ffmpeg -v error -y "$@"; }

# 3 s, 24 fps, 1280x720 H.264 test pattern (~19 KB): the "3 s 24 fps 720p MP4" of the tests.
ff -f lavfi -i testsrc=size=1280x720:rate=24 -t 3 -pix_fmt yuv420p \
  -c:v libx264 -preset veryslow -crf 40 -movflags +faststart clip-720p-24fps-3s.mp4

# One small file per other format the import reads (sizes, rates and lengths are what the tests expect).
ff -f lavfi -i testsrc=size=640x360:rate=30 -t 2 -pix_fmt yuv420p -c:v libx264 -preset veryslow -crf 45 clip-360p-30fps-2s.mov
ff -f lavfi -i testsrc=size=854x480:rate=25 -t 2 -c:v libvpx-vp9 -crf 63 -b:v 0 -deadline good clip-480p-25fps-2s.webm
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 2 -c:a flac tone-44100-2s.flac
ff -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 2 -c:a libvorbis -q:a 0 tone-22050-2s.ogg
ff -f lavfi -i "sine=frequency=440:sample_rate=32000" -t 2 -c:a libmp3lame -b:a 32k tone-32000-2s.mp3
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 2 -c:a aac -b:a 32k tone-44100-2s.m4a
ff -f lavfi -i testsrc=size=320x240 -frames:v 1 -q:v 10 still-320x240.jpg
ff -f lavfi -i testsrc=size=200x100 -frames:v 1 still-200x100.gif
ff -f lavfi -i testsrc=size=300x150 -frames:v 1 -c:v libwebp -quality 30 still-300x150.webp

ffprobe -v error -show_entries stream=codec_name,width,height,r_frame_rate,sample_rate,duration -of compact \
  clip-720p-24fps-3s.mp4 clip-360p-30fps-2s.mov clip-480p-25fps-2s.webm tone-44100-2s.flac tone-22050-2s.ogg tone-32000-2s.mp3 tone-44100-2s.m4a 2>&1 || true

# More containers and their variants, read in process (Catalog.Infrastructure.Media.Containers): what ffprobe reads of
# each is what the tests expect.
ff -f lavfi -i testsrc=size=320x180:rate=50 -t 1 -pix_fmt yuv420p -c:v libx264 -preset veryslow -crf 45 clip-180p-50fps-1s.mkv
ff -f lavfi -i testsrc=size=160x120:rate=15 -t 1 -c:v mpeg4 -q:v 31 clip-120p-15fps-1s.avi
ff -f lavfi -i testsrc=size=320x180:rate=25 -t 1 -c:v libvpx -b:v 50k -deadline realtime -f webm - > clip-180p-25fps-1s-live.webm
ff -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1.5 -c:a libopus -b:a 16k tone-48000-1.5s.opus
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 2 -c:a libmp3lame -q:a 9 tone-44100-2s-vbr.mp3
ff -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 2 -c:a libmp3lame -b:a 16k -write_xing 0 -id3v2_version 0 -write_id3v1 1 -metadata title=t tone-22050-2s-cbr-id3v1.mp3
ff -f lavfi -i "sine=frequency=440:sample_rate=96000" -t 0.5 -c:a pcm_s24le tone-96000-0.5s-24bit.wav
# Fragmented MP4 (what a browser's recorder, a live encoder or a DASH/CMAF packager writes): the samples in movie
# fragments, none in the movie box, some in it and the rest after, and CMAF (brand iso6, video and audio); and an M4A
# cut into quarter-second fragments whose samples give their own durations.
ff -f lavfi -i testsrc=size=320x180:rate=25 -t 1 -pix_fmt yuv420p -c:v libx264 -preset veryslow -crf 45 -movflags frag_keyframe+empty_moov clip-180p-25fps-1s-fragmented.mp4
ff -f lavfi -i testsrc=size=320x180:rate=25 -t 2 -pix_fmt yuv420p -c:v libx264 -preset veryslow -crf 45 -g 25 -movflags frag_keyframe clip-180p-25fps-2s-fragmented-after-moov.mp4
ff -f lavfi -i testsrc=size=320x180:rate=30 -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1 -pix_fmt yuv420p -c:v libx264 -preset veryslow -crf 45 -c:a aac -b:a 16k -movflags cmaf clip-180p-30fps-1s-cmaf.mp4
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -c:a aac -b:a 16k -frag_duration 250000 -movflags empty_moov+default_base_moof tone-44100-1s-fragmented.m4a
# FLAC in Ogg; and Theora in Ogg, a whole file the in-process readers leave to ffprobe (as they leave Speex).
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -c:a flac -f ogg tone-44100-1s-flac.oga
ff -f lavfi -i testsrc=size=160x120:rate=10 -t 1 -c:v libtheora -q:v 0 clip-120p-10fps-1s.ogv

# The HEIF still images (AVIF, HEIC: an MP4's boxes holding one picture) and AIFF/AIFF-C, the big-endian audio of
# music production: read in process (sizes from 'ispe', rates and lengths from 'COMM'). Needs ImageMagick with libheif
# for the HEIC, and sox for the AIFF-C; ffprobe cannot read this HEIC.
ff -f lavfi -i testsrc=size=320x240 -frames:v 1 -c:v libaom-av1 -crf 50 -still-picture 1 still-320x240.avif
convert -size 200x150 pattern:checkerboard -quality 30 still-200x150.heic
ff -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 1 -ac 1 -c:a pcm_s16be tone-22050-1s.aiff
sox -n -r 16000 -c 1 -b 16 tone-16000-1.5s.aifc synth 1.5 sine 440 vol 0.5
# AAC in ADTS (.aac, frame after frame like MP3) and an RF64 WAV (the WAV past 4 GiB, lengths in its 'ds64' chunk).
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -c:a aac -b:a 32k -f adts tone-44100-1s.aac
ff -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 0.5 -ac 1 -rf64 always tone-48000-0.5s-rf64.wav
# Sound only, in a movie's container (its first bytes name only the container): Opus in WebM (a browser's recording, a
# download's audio track), Vorbis in Matroska (.mka), AAC in an MP4 of brand isom (ffmpeg's .mp4 of sound; a phone's
# voice memo): audio tracks, told from a video by having no picture track.
ff -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1 -c:a libopus -b:a 16k tone-48000-1s-opus.webm
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -c:a libvorbis -q:a 0 tone-44100-1s-vorbis.mka
ff -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 1 -c:a aac -b:a 16k tone-22050-1s-aac.mp4
# A Matroska file with a subtitle track only: a container the in-process reader cannot finish (no picture, no sound), so it
# is handed to ffprobe — before its kind is chosen, as a movie's container may hold sound only.
printf '1\n00:00:00,000 --> 00:00:01,000\nhello\n' > subtitles.srt
ff -i subtitles.srt -c:s srt subtitles-only.mkv && rm subtitles.srt
# The formats beyond those (what other tools and older pipelines write), each read in process from its own structure:
# MPEG-2 transport streams (ffmpeg's default .ts: MPEG-2 video and MP2; H.264 and AAC with 4-byte packet prefixes: a
# camcorder's .m2ts), an MPEG-1 program stream (.mpg), Flash Video, Windows Media (its frame rate is ffprobe's to give),
# Sun audio, CAF, AC-3 and E-AC-3; icons, Photoshop, Netpbm, Targa (run-length), JPEG 2000, OpenEXR, DirectDraw and SVG.
ff -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -q:v 31 clip-120p-25fps-1s.ts
ff -f lavfi -i testsrc=size=320x180:rate=30000/1001 -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1 -pix_fmt yuv420p -c:v libx264 -preset veryslow -crf 45 -c:a aac -b:a 16k -mpegts_m2ts_mode 1 -f mpegts clip-180p-30fps-1s.m2ts
ff -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -q:v 31 clip-120p-25fps-1s.mpg
ff -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 1 -q:v 31 -b:a 32k clip-120p-25fps-1s.flv
ff -f lavfi -i testsrc=size=160x120:rate=25 -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 1 -q:v 31 -b:a 32k clip-120p-25fps-1s.wmv
sox -n -r 22050 -c 1 -b 16 tone-22050-1s.au synth 1 sine 440 vol 0.5
ff -f lavfi -i "sine=frequency=440:sample_rate=16000" -t 1 -c:a pcm_s16le tone-16000-1s.caf
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -c:a ac3 -b:a 64k tone-44100-1s.ac3
ff -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1 -c:a eac3 -b:a 64k tone-48000-1s.eac3
ff -f lavfi -i "sine=frequency=440:sample_rate=22050" -t 1 -c:a wmav2 -b:a 32k tone-22050-1s.wma
ff -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 1 -c:a wavpack tone-44100-1s.wv
convert -size 64x48 pattern:checkerboard still-64x48.ico
convert -size 64x48 pattern:checkerboard still-64x48.psd
convert -size 64x48 pattern:checkerboard still-64x48.ppm
convert -size 64x48 pattern:checkerboard -compress RLE still-64x48.tga
convert -size 64x48 pattern:checkerboard still-64x48.jp2
convert -size 64x48 pattern:checkerboard -compress zip still-64x48.exr
convert -size 64x48 pattern:checkerboard still-64x48.dds
printf '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="48" viewBox="0 0 64 48">\n  <title>A storyboard mark</title>\n  <desc>A disc on a blue field, drawn by hand for the tests.</desc>\n  <rect width="64" height="48" fill="#7aa2f7"/>\n  <circle cx="32" cy="24" r="16" fill="#1a1b26"/>\n  <path d="M 8 40 L 56 40" stroke="#c0caf5" stroke-width="2"/>\n</svg>' > still-64x48.svg
# Sound only in a transport stream (an HLS audio rendition): an audio track, audio/mp2t.
ff -f lavfi -i "sine=frequency=440:sample_rate=48000" -t 1 -c:a aac -b:a 16k tone-48000-1s-aac.ts
# Sony Wave64 (sox's and ffmpeg's WAV past 4 GiB): GUID chunk ids, 64-bit lengths.
sox -n -r 22050 -c 1 -b 16 tone-22050-1s.w64 synth 1 sine 440 vol 0.5
