-- 0005: a version per model name, MLflow's registry habit: the first model registered under a
-- name is version 1, the next under the same name version 2, and so on (never reused).
--
-- Append-only, like 0001–0004: never edit this file once it has shipped; add 0006 instead.

ALTER TABLE models ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

-- Models stored before this migration get their versions in registration (id) order.
UPDATE models SET version = (
    SELECT COUNT(*) FROM models AS earlier
    WHERE earlier.name = models.name AND earlier.id <= models.id
);

CREATE INDEX models_by_name_version ON models (name, version);

-- The last version given under each name, so a deleted model's version is never given again.
CREATE TABLE model_name_versions (
    name TEXT    PRIMARY KEY,
    last INTEGER NOT NULL CHECK (last >= 1)
);
INSERT INTO model_name_versions (name, last) SELECT name, MAX(version) FROM models GROUP BY name;
