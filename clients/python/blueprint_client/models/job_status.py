from typing import Literal, cast

JobStatus = Literal['done', 'failed', 'queued', 'running']

JOB_STATUS_VALUES: set[JobStatus] = { 'done', 'failed', 'queued', 'running',  }

def check_job_status(value: str) -> JobStatus:
    if value in JOB_STATUS_VALUES:
        return cast(JobStatus, value)
    raise TypeError(f"Unexpected value {value!r}. Expected one of {JOB_STATUS_VALUES!r}")
