//! Single-flight: identical concurrent requests (same model, same parameters) are computed
//! once; the others await that computation's result instead of queueing for the same work.
//!
//! The computation runs in its own task with the first request's deadline and its own
//! cancellation flag. Each waiting request holds a place; when the last one leaves (every
//! client disconnected) before the result exists, the computation is cancelled and forgotten,
//! so a later identical request starts afresh. Each waiter also gives up at its own deadline.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::watch;

use super::{ServiceError, Work};

type Outcome<T> = Option<Result<T, ServiceError>>;

/// The computations in flight, by request key.
#[derive(Debug)]
pub struct Flights<T> {
    inflight: Arc<Mutex<HashMap<String, Arc<Flight<T>>>>>,
}

impl<T> Default for Flights<T> {
    fn default() -> Flights<T> {
        Flights {
            inflight: Arc::new(Mutex::new(HashMap::new())),
        }
    }
}

#[derive(Debug)]
struct Flight<T> {
    outcome: watch::Receiver<Outcome<T>>,
    waiters: Mutex<usize>,
    work: Work,
}

impl<T: Clone + Send + Sync + 'static> Flights<T> {
    /// The result of `compute` for `key`: computed by this call, or awaited from an identical
    /// computation already in flight. `work` is the caller's deadline; `compute` receives the
    /// computation's own [`Work`] and must check it.
    pub async fn run<F, Fut>(&self, key: &str, work: &Work, compute: F) -> Result<T, ServiceError>
    where
        F: FnOnce(Work) -> Fut,
        Fut: Future<Output = Result<T, ServiceError>> + Send + 'static,
    {
        let flight = {
            let mut inflight = lock(&self.inflight);
            match inflight.get(key) {
                Some(flight) => Arc::clone(flight),
                None => {
                    let (sender, outcome) = watch::channel(None);
                    let flight = Arc::new(Flight {
                        outcome,
                        waiters: Mutex::new(0),
                        work: work.detached(),
                    });
                    inflight.insert(key.to_owned(), Arc::clone(&flight));
                    let computation = compute(flight.work.clone());
                    let registry = Arc::clone(&self.inflight);
                    let mine = Arc::clone(&flight);
                    let key = key.to_owned();
                    tokio::spawn(async move {
                        let result = computation.await;
                        forget(&registry, &key, &mine);
                        sender.send_replace(Some(result));
                    });
                    flight
                }
            }
        };
        *lock(&flight.waiters) += 1;
        let _place = Place {
            flight: Arc::clone(&flight),
            registry: Arc::clone(&self.inflight),
            key: key.to_owned(),
        };
        let mut outcome = flight.outcome.clone();
        let finished = outcome.wait_for(Option::is_some);
        let result = match work.remaining() {
            Some(remaining) => match tokio::time::timeout(remaining, finished).await {
                Ok(finished) => finished,
                Err(_) => return Err(work.deadline_exceeded()),
            },
            None => finished.await,
        };
        match result {
            Ok(outcome) => outcome.clone().expect("waited for Some"),
            Err(_) => Err(ServiceError::internal(
                "a computation ended without a result",
            )),
        }
    }

    /// Computations in flight now.
    pub fn len(&self) -> usize {
        lock(&self.inflight).len()
    }

    /// Whether nothing is in flight.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A waiter's place; the last one out cancels an unfinished computation.
struct Place<T> {
    flight: Arc<Flight<T>>,
    registry: Arc<Mutex<HashMap<String, Arc<Flight<T>>>>>,
    key: String,
}

impl<T> Drop for Place<T> {
    fn drop(&mut self) {
        let mut waiters = lock(&self.flight.waiters);
        *waiters -= 1;
        if *waiters == 0 && self.flight.outcome.borrow().is_none() {
            self.flight.work.cancel();
            forget(&self.registry, &self.key, &self.flight);
        }
    }
}

/// Removes `flight` from the registry if it is still the one under `key`.
fn forget<T>(
    registry: &Mutex<HashMap<String, Arc<Flight<T>>>>,
    key: &str,
    flight: &Arc<Flight<T>>,
) {
    let mut inflight = lock(registry);
    if inflight
        .get(key)
        .is_some_and(|current| Arc::ptr_eq(current, flight))
    {
        inflight.remove(key);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn identical_concurrent_requests_are_computed_once() {
        let flights = Arc::new(Flights::<u64>::default());
        let runs = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::new();
        for _ in 0..8 {
            let flights = Arc::clone(&flights);
            let runs = Arc::clone(&runs);
            handles.push(tokio::spawn(async move {
                flights
                    .run("same", &Work::unbounded(), move |_| async move {
                        runs.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        Ok(42)
                    })
                    .await
            }));
        }
        for handle in handles {
            assert_eq!(handle.await.unwrap().unwrap(), 42);
        }
        assert_eq!(runs.load(Ordering::SeqCst), 1);
        assert!(flights.is_empty());
    }

    #[tokio::test]
    async fn the_last_waiter_leaving_cancels_the_computation() {
        let flights = Flights::<u64>::default();
        let (seen_tx, seen_rx) = tokio::sync::oneshot::channel();
        let work = Work::unbounded();
        let waiting = flights.run("k", &work, move |work: Work| async move {
            while work.check().is_ok() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let _ = seen_tx.send(work.check().unwrap_err());
            Err(ServiceError::Cancelled)
        });
        // The waiter gives up after 50 ms (as a disconnected client's future is dropped).
        assert!(
            tokio::time::timeout(Duration::from_millis(50), waiting)
                .await
                .is_err()
        );
        let stopped = tokio::time::timeout(Duration::from_secs(5), seen_rx)
            .await
            .unwrap()
            .unwrap();
        assert!(matches!(stopped, ServiceError::Cancelled));
        assert!(flights.is_empty());
    }

    #[tokio::test]
    async fn a_waiter_gives_up_at_its_own_deadline() {
        let flights = Flights::<u64>::default();
        let result = flights
            .run(
                "slow",
                &Work::within(Some(Duration::from_millis(30))),
                |_| async {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    Ok(1)
                },
            )
            .await;
        assert!(matches!(result, Err(ServiceError::DeadlineExceeded { .. })));
    }
}
