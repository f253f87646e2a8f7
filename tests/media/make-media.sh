#!/usr/bin/env bash
# Regenerates the committed media fixtures that cannot be made in code (video needs an encoder).
# PNG and WAV test files are generated in code by Catalog.Testing.TestMedia.
# Needs ffmpeg (apt-get install ffmpeg). The outputs are committed, so tests and CI do not need it.
set -euo pipefail
cd "$(dirname "$0")"

# 3 s, 24 fps, 1280x720 H.264 test pattern (~19 KB): the "3 s 24 fps 720p MP4" of the tests.
ffmpeg -v error -y -f lavfi -i testsrc=size=1280x720:rate=24 -t 3 -pix_fmt yuv420p \
  -c:v libx264 -preset veryslow -crf 40 -movflags +faststart clip-720p-24fps-3s.mp4

ffprobe -v error -show_entries stream=codec_name,width,height,r_frame_rate,duration -of compact clip-720p-24fps-3s.mp4
