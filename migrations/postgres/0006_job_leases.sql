-- 0006 (PostgreSQL): comparison jobs claimed through the database (`FOR UPDATE SKIP LOCKED`,
-- a lease and a heartbeat); the same logical schema as migrations/sqlite/0006_job_leases.sql.
-- Append-only.

ALTER TABLE comparison_jobs ADD COLUMN claimed_by TEXT;
ALTER TABLE comparison_jobs ADD COLUMN lease_until BIGINT;
ALTER TABLE comparison_jobs ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0);
ALTER TABLE comparison_jobs ADD COLUMN model_ids TEXT NOT NULL DEFAULT '[]'
    CHECK (CAST(model_ids AS json) IS NOT NULL);

-- Jobs an earlier build left running have no lease: they are claimable at once.
UPDATE comparison_jobs SET lease_until = 0 WHERE status = 'running';
