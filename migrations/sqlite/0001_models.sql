-- 0001: the model store and the evaluation cache.
--
-- Migrations are append-only: never edit a file that has shipped, add the next number instead.
-- sqlx records each file's checksum in `_sqlx_migrations` and refuses to start on an edited one.

-- One row per registered model: the fields the API filters on, copied out of the manifest so
-- they can be indexed, plus the manifest itself as the source of truth.
CREATE TABLE models (
    id           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, also after a delete
    name         TEXT    NOT NULL,
    task         TEXT    NOT NULL,                   -- TaskKind, kebab-case: `go-nogo`
    variant      TEXT    NOT NULL,                   -- Variant label: `W*D*C`
    positive     INTEGER NOT NULL CHECK (positive IN (0, 1)),
    dataset      TEXT    NOT NULL,                   -- bundle name, or `synthetic`
    field        TEXT    NOT NULL,                   -- field key: `5_3_4`
    hidden_size  INTEGER NOT NULL CHECK (hidden_size > 0),
    seed         INTEGER NOT NULL,                   -- the u64 master seed, bit-cast to i64
    sha256       TEXT    NOT NULL UNIQUE CHECK (length(sha256) = 64),
    size_bytes   INTEGER NOT NULL CHECK (size_bytes > 0),
    manifest     TEXT    NOT NULL CHECK (json_valid(manifest)),
    created_at   TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE INDEX models_by_task_variant ON models (task, variant);
CREATE INDEX models_by_field ON models (dataset, field);

-- The ONNX bytes, one row per model, written in the same transaction as the model row so a
-- model is stored whole or not at all. Kept out of `models` so that listing and reading model
-- rows never touches the (large) blobs.
CREATE TABLE model_files (
    model_id INTEGER PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
    bytes    BLOB    NOT NULL
);

-- Evaluations are deterministic in (model, request), so each result is kept and served again.
-- `request_key` is the canonical JSON of the normalised request plus the evaluator's version,
-- so a new evaluator never serves an old result.
CREATE TABLE evaluations (
    model_id    INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    request_key TEXT    NOT NULL,
    result      TEXT    NOT NULL CHECK (json_valid(result)),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (model_id, request_key)
);
