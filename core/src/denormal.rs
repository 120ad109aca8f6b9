//! Subnormal floats flushed to zero while training, and a thread's float mode carried onto
//! the threads that help it.
//!
//! A network whose penalty drives its weights towards zero (every `W`-initialised variant at
//! chance does) fills its hidden states with subnormal floats, and x86 arithmetic on those is
//! tens of times slower: such cells took twice as long as the rest of the study. TensorFlow,
//! which the study's reference code ran on, flushes them on its CPU threads; so does Blueprint,
//! for the training's own arithmetic only (every thread that runs a part of an update or of a
//! validation pass holds a [`FlushDenormals`], and work split off onto other threads runs
//! under the splitting thread's [`FloatMode`]), so a run's numbers do not depend on which
//! thread ran which part.

/// While alive, this thread flushes subnormal results and inputs to zero (x86-64: the MXCSR
/// FTZ and DAZ bits); dropping it restores the thread's previous mode. Elsewhere it does
/// nothing.
#[must_use = "the mode lasts only while the guard is alive"]
pub struct FlushDenormals {
    _restore: ModeGuard,
}

#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = 0x8000 | 0x0040;

impl FlushDenormals {
    pub fn new() -> FlushDenormals {
        let mode = FloatMode::of_this_thread();
        #[cfg(target_arch = "x86_64")]
        let mode = FloatMode {
            csr: mode.csr | FTZ_DAZ,
        };
        FlushDenormals {
            _restore: ModeGuard::set(mode),
        }
    }
}

impl Default for FlushDenormals {
    fn default() -> Self {
        Self::new()
    }
}

/// A thread's floating-point mode (x86-64: its MXCSR, rounding and subnormal handling), to
/// run work split off onto another thread exactly as the splitting thread would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloatMode {
    #[cfg(target_arch = "x86_64")]
    csr: u32,
}

impl FloatMode {
    /// The calling thread's mode.
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code, deprecated)]
    pub fn of_this_thread() -> FloatMode {
        // SAFETY: reading MXCSR touches no memory.
        let csr = unsafe { std::arch::x86_64::_mm_getcsr() };
        FloatMode { csr }
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn of_this_thread() -> FloatMode {
        FloatMode {}
    }

    /// Runs `f` on this thread under this mode, then restores the thread's own.
    pub fn run<R>(self, f: impl FnOnce() -> R) -> R {
        let _restore = ModeGuard::set(self);
        f()
    }
}

/// Sets a mode on this thread and restores the previous one when dropped.
struct ModeGuard {
    previous: FloatMode,
}

impl ModeGuard {
    fn set(mode: FloatMode) -> ModeGuard {
        let previous = FloatMode::of_this_thread();
        write_mode(mode);
        ModeGuard { previous }
    }
}

impl Drop for ModeGuard {
    fn drop(&mut self) {
        write_mode(self.previous);
    }
}

#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code, deprecated)]
fn write_mode(mode: FloatMode) {
    // SAFETY: writing MXCSR touches no memory. The value is an MXCSR read on some thread
    // (with FTZ and DAZ added by `FlushDenormals`), so its rounding mode, exception masks and
    // subnormal handling are ones a thread of this process already ran with; they change how
    // this thread's float arithmetic rounds, never what it may access.
    unsafe { std::arch::x86_64::_mm_setcsr(mode.csr) };
}

#[cfg(not(target_arch = "x86_64"))]
fn write_mode(_mode: FloatMode) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnormals_flush_to_zero_only_while_the_guard_lives() {
        let tiny = std::hint::black_box(f32::MIN_POSITIVE);
        let half = std::hint::black_box(0.5f32);
        assert!((tiny * half).is_subnormal());
        {
            let _guard = FlushDenormals::new();
            let product = std::hint::black_box(tiny) * std::hint::black_box(half);
            if cfg!(target_arch = "x86_64") {
                assert_eq!(
                    product.to_bits(),
                    0,
                    "flushed to +0 (bits: under DAZ a subnormal equals 0)"
                );
            }
        }
        assert!((std::hint::black_box(tiny) * half).is_subnormal());
    }

    #[test]
    fn work_on_another_thread_runs_under_the_mode_it_is_given() {
        let tiny = std::hint::black_box(f32::MIN_POSITIVE);
        let mode = {
            let _guard = FlushDenormals::new();
            FloatMode::of_this_thread()
        };
        let (inside, after) = std::thread::spawn(move || {
            let inside = mode.run(|| std::hint::black_box(tiny) * std::hint::black_box(0.5f32));
            (
                inside,
                std::hint::black_box(tiny) * std::hint::black_box(0.5f32),
            )
        })
        .join()
        .unwrap();
        if cfg!(target_arch = "x86_64") {
            assert_eq!(inside, 0.0, "the given mode flushes");
        }
        assert!(
            after.is_subnormal(),
            "the thread's own mode is back afterwards"
        );
    }
}
