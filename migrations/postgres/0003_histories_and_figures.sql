-- 0003 (PostgreSQL): each model's training history, and the figure cache; the same logical
-- schema as migrations/sqlite/0003_histories_and_figures.sql. Append-only.

CREATE TABLE model_histories (
    model_id BIGINT PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
    epochs   TEXT   NOT NULL CHECK (json_typeof(CAST(epochs AS json)) = 'array')
);

CREATE TABLE model_figures (
    model_id   BIGINT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    figure_key TEXT   NOT NULL,
    svg        TEXT   NOT NULL,
    etag       TEXT   NOT NULL CHECK (length(etag) = 64),
    created_at TEXT   NOT NULL
               DEFAULT (to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
    PRIMARY KEY (model_id, figure_key)
);
