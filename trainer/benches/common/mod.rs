//! What the trainer's benchmarks share.

use std::time::Instant;

use ndarray::{Array2, LinalgScalar};

/// The best matrix-product rate (FLOP/s, a multiply-add counting 2) over `shapes` `(m, k, n)`,
/// with `threads` independent products running at once (one per core), summed over them.
pub fn best_gemm<T: LinalgScalar + Send + Sync>(
    threads: usize,
    shapes: &[(usize, usize, usize)],
) -> f64 {
    let mut best: f64 = 0.0;
    for &(m, k, n) in shapes {
        let a = Array2::<T>::from_elem((m, k), T::one());
        let b = Array2::<T>::from_elem((k, n), T::one());
        let _ = a.dot(&b);
        let rates: Vec<f64> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|_| {
                    scope.spawn(|| {
                        let (mut reps, start) = (0usize, Instant::now());
                        while start.elapsed().as_secs_f64() < 0.3 {
                            std::hint::black_box(a.dot(&b));
                            reps += 1;
                        }
                        2.0 * (m * k * n) as f64 * reps as f64 / start.elapsed().as_secs_f64()
                    })
                })
                .collect();
            workers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        best = best.max(rates.iter().sum());
    }
    best
}
