//! Subnormal floats flushed to zero while training.
//!
//! A network whose penalty drives its weights towards zero (every `W`-initialised variant at
//! chance does) fills its hidden states with subnormal floats, and x86 arithmetic on those is
//! tens of times slower: such cells took twice as long as the rest of the study. TensorFlow,
//! which the study's reference code ran on, flushes them on its CPU threads; so does Blueprint,
//! for the training's own arithmetic only (every thread that runs a part of an update or of a
//! validation pass holds a [`FlushDenormals`]), so a run's numbers do not depend on which
//! thread ran which part.

/// While alive, this thread flushes subnormal results and inputs to zero (x86-64: the MXCSR
/// FTZ and DAZ bits); dropping it restores the thread's previous mode. Elsewhere it does
/// nothing.
#[must_use = "the mode lasts only while the guard is alive"]
pub struct FlushDenormals {
    #[cfg(target_arch = "x86_64")]
    previous: u32,
}

#[cfg(target_arch = "x86_64")]
const FTZ_DAZ: u32 = 0x8000 | 0x0040;

impl FlushDenormals {
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code, deprecated)]
    pub fn new() -> FlushDenormals {
        use std::arch::x86_64::{_mm_getcsr, _mm_setcsr};
        // SAFETY: reading and writing MXCSR touches no memory; setting FTZ and DAZ changes
        // only how this thread rounds subnormal floats, and `drop` restores the old value.
        let previous = unsafe { _mm_getcsr() };
        unsafe { _mm_setcsr(previous | FTZ_DAZ) };
        FlushDenormals { previous }
    }

    #[cfg(not(target_arch = "x86_64"))]
    pub fn new() -> FlushDenormals {
        FlushDenormals {}
    }
}

impl Default for FlushDenormals {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for FlushDenormals {
    #[cfg(target_arch = "x86_64")]
    #[allow(unsafe_code, deprecated)]
    fn drop(&mut self) {
        // SAFETY: as in `new`.
        unsafe { std::arch::x86_64::_mm_setcsr(self.previous) };
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn drop(&mut self) {}
}

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
                assert_eq!(product, 0.0);
            }
        }
        assert!((std::hint::black_box(tiny) * half).is_subnormal());
    }
}
