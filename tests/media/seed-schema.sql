-- The seed's schema, copied verbatim from the original design (asset-database-schema.md, "Tables"): the test oracle
-- for exports, applied by the sqlite3 CLI, independent of the exporter's own DDL constant.

CREATE TABLE productions (
  id TEXT PRIMARY KEY,
  title TEXT,
  artist TEXT,
  audio_filename TEXT,
  audio_duration REAL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  status TEXT DEFAULT 'draft',  -- draft, generating, completed
  storyboard_json TEXT,  -- Full storyboard data
  settings_json TEXT     -- User settings/preferences
);

CREATE TABLE images (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  filename TEXT NOT NULL UNIQUE,
  production_id TEXT,
  clip_id TEXT,
  image_type TEXT NOT NULL,  -- 'generated', 'reference', 'thumbnail'
  prompt TEXT,
  size TEXT,  -- '1024x576'
  mode TEXT,  -- 'txt2img', 'img2img'
  cfg REAL,
  steps INTEGER,
  created_at TEXT NOT NULL,
  file_size INTEGER,
  binary_data BLOB,  -- Actual image binary data
  mime_type TEXT,    -- 'image/png', 'image/jpeg', etc.
  FOREIGN KEY (production_id) REFERENCES productions(id) ON DELETE CASCADE
);

CREATE INDEX idx_images_production ON images(production_id);
CREATE INDEX idx_images_type ON images(image_type);
CREATE INDEX idx_images_created ON images(created_at);

CREATE TABLE videos (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  filename TEXT NOT NULL UNIQUE,
  production_id TEXT,
  clip_id TEXT,
  video_type TEXT NOT NULL,  -- 'clip', 'lipsync', 'final'
  duration REAL,
  resolution TEXT,  -- '720p', '1080p'
  fps INTEGER,
  source_image_filename TEXT,
  prompt TEXT,
  camera_control TEXT,
  created_at TEXT NOT NULL,
  file_size INTEGER,
  binary_data BLOB,  -- Actual video binary data
  mime_type TEXT,    -- 'video/mp4', 'video/webm', etc.
  FOREIGN KEY (production_id) REFERENCES productions(id) ON DELETE CASCADE
);

CREATE INDEX idx_videos_production ON videos(production_id);
CREATE INDEX idx_videos_type ON videos(video_type);
CREATE INDEX idx_videos_created ON videos(created_at);

CREATE TABLE audio (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  filename TEXT NOT NULL UNIQUE,
  production_id TEXT,
  audio_type TEXT NOT NULL,  -- 'original', 'processed', 'instrumental', 'vocals'
  duration REAL,
  sample_rate INTEGER,
  created_at TEXT NOT NULL,
  file_size INTEGER,
  binary_data BLOB,  -- Actual audio binary data
  mime_type TEXT,    -- 'audio/mpeg', 'audio/wav', etc.
  FOREIGN KEY (production_id) REFERENCES productions(id) ON DELETE CASCADE
);

CREATE INDEX idx_audio_production ON audio(production_id);
CREATE INDEX idx_audio_type ON audio(audio_type);
