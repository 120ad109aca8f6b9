-- 0003: each model's training history, and the figure cache.
--
-- Append-only, like 0001 and 0002: never edit this file once it has shipped; add 0004 instead.

-- The run's `history.jsonl`, uploaded with the model and validated against its manifest
-- (`core::history::parse_history`), stored as a JSON array of epoch records. Optional: a
-- model registered without one has no row. Written in the registration's transaction.
CREATE TABLE model_histories (
    model_id INTEGER PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
    epochs   TEXT    NOT NULL CHECK (json_valid(epochs) AND json_type(epochs) = 'array')
);

-- Figures are deterministic in (model, figure, parameters, figure code), like evaluations:
-- `figure_key` is the canonical JSON of the figure's name, parameters and the figures'
-- identity (a hash of their sources), so a changed figure never serves an old drawing.
-- `etag` is the SVG's SHA-256, sent as the response's ETag.
CREATE TABLE model_figures (
    model_id   INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    figure_key TEXT    NOT NULL,
    svg        TEXT    NOT NULL,
    etag       TEXT    NOT NULL CHECK (length(etag) = 64),
    created_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (model_id, figure_key)
);
