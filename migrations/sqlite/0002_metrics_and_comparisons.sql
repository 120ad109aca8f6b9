-- 0002: the network-metrics cache and the comparison jobs.
--
-- Append-only, like 0001: never edit this file once it has shipped; add 0003 instead.

-- Metrics of a model's W_rec are deterministic in (model, parameters), so each report is kept
-- and served again, like an evaluation. `request_key` is the canonical JSON of the normalised
-- parameters (metrics sorted, quantile, null counts, seed) plus the server's version, so a new
-- metric implementation never serves an old report. Deleting the model deletes its reports.
CREATE TABLE model_metrics (
    model_id    INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    request_key TEXT    NOT NULL,
    result      TEXT    NOT NULL CHECK (json_valid(result)),
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    PRIMARY KEY (model_id, request_key)
);

-- One row per `POST /comparisons`: a job that evaluates and measures a set of models, then
-- compares the groups. The row is the job's only state, so a finished result survives a
-- restart; a job found `queued` or `running` when the server starts was orphaned by a stopped
-- process and is marked `failed` then (jobs are not resumed; resubmitting is cheap because
-- evaluations and metrics are cached per model).
--
-- No foreign key to `models`: a finished comparison is a record of what was measured and stays
-- valid (its result names the models) when a model is later deleted.
CREATE TABLE comparison_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so a status URL never changes meaning
    request     TEXT    NOT NULL CHECK (json_valid(request)), -- the normalised request
    status      TEXT    NOT NULL DEFAULT 'queued'
                        CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done        INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),  -- models measured so far
    total       INTEGER NOT NULL CHECK (total > 0),           -- models to measure
    result      TEXT    CHECK (result IS NULL OR json_valid(result)),   -- set iff done
    problem     TEXT    CHECK (problem IS NULL OR json_valid(problem)), -- set iff failed
    created_at  TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    started_at  TEXT,
    finished_at TEXT,
    CHECK ((status = 'done') = (result IS NOT NULL)),
    CHECK ((status = 'failed') = (problem IS NOT NULL))
);

-- `fail_interrupted` at start scans the unfinished jobs.
CREATE INDEX comparison_jobs_by_status ON comparison_jobs (status);
