-- 0005 (PostgreSQL): a version per model name; the same logical schema as
-- migrations/sqlite/0005_versions.sql. Append-only.

ALTER TABLE models ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

UPDATE models SET version = (
    SELECT COUNT(*) FROM models AS earlier
    WHERE earlier.name = models.name AND earlier.id <= models.id
);

CREATE INDEX models_by_name_version ON models (name, version);

CREATE TABLE model_name_versions (
    name TEXT   PRIMARY KEY,
    last BIGINT NOT NULL CHECK (last >= 1)
);
INSERT INTO model_name_versions (name, last) SELECT name, MAX(version) FROM models GROUP BY name;
