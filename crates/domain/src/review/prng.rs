//! A small deterministic pseudo-random generator for auditable draws.
//!
//! **SplitMix64** (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
//! OOPSLA 2014; the public-domain C reference by Sebastiano Vigna at
//! <https://prng.di.unimi.it/splitmix64.c>). The whole state is one `u64`, the seed itself:
//!
//! ```text
//! state = state + 0x9E3779B97F4A7C15            (wrapping)
//! z = state
//! z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9      (wrapping)
//! z = (z ^ (z >> 27)) * 0x94D049BB133111EB      (wrapping)
//! output z ^ (z >> 31)
//! ```
//!
//! Anyone can recompute a draw from the recorded seed with these ten lines in any language. It
//! is not a cryptographic generator: the fairness of a draw rests on the seed being chosen and
//! recorded before the pool is known to the person drawing (e.g. from a time stamp or dice in the
//! review session), not on the generator being unpredictable.

/// SplitMix64 generator; see the module documentation for the exact algorithm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform integer in `0..n` without modulo bias: outputs below `2^64 mod n` are rejected
    /// and drawn again, so every remainder is equally likely. `n == 0` returns 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let threshold = n.wrapping_neg() % n;
        loop {
            let x = self.next_u64();
            if x >= threshold {
                return x % n;
            }
        }
    }

    /// A uniform index into a slice of length `len` (`len > 0`).
    pub fn index(&mut self, len: usize) -> usize {
        // usize fits in u64 on every supported target, and the result is below `len`.
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }
}
