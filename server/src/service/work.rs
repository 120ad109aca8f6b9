//! The bound on one request's work: a deadline (`--request-timeout`) and a cancellation flag,
//! checked by every computation between batches of trials and between null models, so work
//! past its deadline, or whose every client has gone, stops within one batch or one null.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::ServiceError;

/// A deadline and a cancellation flag, shared by the clones of one unit of work.
#[derive(Clone, Debug)]
pub struct Work {
    deadline: Option<Instant>,
    timeout: Duration,
    cancelled: Arc<AtomicBool>,
}

impl Work {
    /// Work that must finish within `timeout` from now (`None`: no deadline).
    pub fn within(timeout: Option<Duration>) -> Work {
        Work {
            deadline: timeout.map(|timeout| Instant::now() + timeout),
            timeout: timeout.unwrap_or(Duration::MAX),
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Work without a deadline, e.g. a background job's whole run.
    pub fn unbounded() -> Work {
        Work::within(None)
    }

    /// The same deadline with a cancellation flag of its own: work done on behalf of several
    /// requests, cancelled only when all of them have gone.
    pub fn detached(&self) -> Work {
        Work {
            deadline: self.deadline,
            timeout: self.timeout,
            cancelled: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Stops the work: its next [`Work::check`] fails with [`ServiceError::Cancelled`].
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Release);
    }

    /// Whether the work must stop now.
    pub fn should_stop(&self) -> bool {
        self.cancelled.load(Ordering::Acquire)
            || self
                .deadline
                .is_some_and(|deadline| Instant::now() >= deadline)
    }

    /// `Ok` while the work may go on; otherwise why it must stop.
    pub fn check(&self) -> Result<(), ServiceError> {
        if self.cancelled.load(Ordering::Acquire) {
            return Err(ServiceError::Cancelled);
        }
        if self
            .deadline
            .is_some_and(|deadline| Instant::now() >= deadline)
        {
            return Err(self.deadline_exceeded());
        }
        Ok(())
    }

    /// The error of this work's deadline.
    pub fn deadline_exceeded(&self) -> ServiceError {
        ServiceError::DeadlineExceeded {
            seconds: self.timeout.as_secs().max(1),
        }
    }

    /// Time left before the deadline (`None`: no deadline).
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.saturating_duration_since(Instant::now()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_passed_deadline_and_a_cancel_stop_the_work() {
        let work = Work::within(Some(Duration::ZERO));
        assert!(matches!(
            work.check(),
            Err(ServiceError::DeadlineExceeded { seconds: 1 })
        ));
        let open = Work::unbounded();
        assert!(open.check().is_ok() && open.remaining().is_none());
        let clone = open.clone();
        open.cancel();
        assert!(matches!(clone.check(), Err(ServiceError::Cancelled)));
        let detached = clone.detached();
        assert!(detached.check().is_ok());
    }
}
