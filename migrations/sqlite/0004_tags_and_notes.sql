-- 0004: a free-text note per model and any number of tags, set with PATCH /models/{id}.
--
-- Append-only, like 0001–0003: never edit this file once it has shipped; add 0005 instead.

-- The note; '' when none. Its length (at most 10,000 characters) is checked by the server.
ALTER TABLE models ADD COLUMN note TEXT NOT NULL DEFAULT '';

-- One row per (model, tag). Tags are 1 to 64 characters of A-Z a-z 0-9 . _ - (checked by the
-- server); deleting the model deletes its tags.
CREATE TABLE model_tags (
    model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    tag      TEXT    NOT NULL CHECK (length(tag) BETWEEN 1 AND 64),
    PRIMARY KEY (model_id, tag)
);

-- `GET /models?tag=` looks models up by tag.
CREATE INDEX model_tags_by_tag ON model_tags (tag);
