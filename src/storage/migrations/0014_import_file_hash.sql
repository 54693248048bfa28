-- The SHA-256 of the file each import read (as picked: encrypted or not), so a file imported
-- before is recognised by its bytes before anything is parsed. Local to this device, like the
-- log itself; empty for imports logged before this version.
ALTER TABLE import_log ADD COLUMN file_sha256 TEXT;
CREATE INDEX import_log_by_file ON import_log (file_sha256) WHERE file_sha256 IS NOT NULL;
