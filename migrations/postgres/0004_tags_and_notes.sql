-- 0004 (PostgreSQL): a note per model and its tags; the same logical schema as
-- migrations/sqlite/0004_tags_and_notes.sql. Append-only.

ALTER TABLE models ADD COLUMN note TEXT NOT NULL DEFAULT '';

CREATE TABLE model_tags (
    model_id BIGINT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    tag      TEXT   NOT NULL CHECK (length(tag) BETWEEN 1 AND 64),
    PRIMARY KEY (model_id, tag)
);

CREATE INDEX model_tags_by_tag ON model_tags (tag);
