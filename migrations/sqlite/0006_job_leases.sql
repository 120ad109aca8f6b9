-- 0006: comparison jobs are claimed through the database, so that any replica can run one and
-- another can finish it when the first dies.
--
-- Append-only, like 0001–0005: never edit this file once it has shipped; add 0007 instead.
--
-- A replica claims a job that is queued, or running under a lease that has run out, by
-- setting `claimed_by` and `lease_until` in one statement; it renews the lease while it works
-- (a heartbeat) and every later write of the job is guarded by `claimed_by`, so a replica that
-- lost its lease changes nothing. Jobs are no longer failed when a process starts.

-- Who runs the job: `host:pid:random`, new for every claim.
ALTER TABLE comparison_jobs ADD COLUMN claimed_by TEXT;
-- Until when the claim holds: milliseconds since the Unix epoch, on the database's clock.
ALTER TABLE comparison_jobs ADD COLUMN lease_until INTEGER;
-- How many times the job was claimed; a job whose runner died this many times is failed.
ALTER TABLE comparison_jobs ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0);
-- The ids of the models the job measures, a JSON array fixed when the job is accepted, so a
-- replica that takes the job over measures the same models ('[]': jobs accepted before this
-- migration, which measure what their request selects).
ALTER TABLE comparison_jobs ADD COLUMN model_ids TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(model_ids));

-- Jobs an earlier build left running have no lease: they are claimable at once.
UPDATE comparison_jobs SET lease_until = 0 WHERE status = 'running';
