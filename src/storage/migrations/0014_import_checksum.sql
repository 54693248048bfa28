-- The checksum each imported bundle declared (the SHA-256 of its canonical content), so a
-- bundle imported before is recognised from its header, before its records are parsed.
-- Local to this device, like the log itself; empty for imports logged before this version.
ALTER TABLE import_log ADD COLUMN bundle_checksum TEXT;
CREATE INDEX import_log_by_checksum ON import_log (bundle_checksum) WHERE bundle_checksum IS NOT NULL;
