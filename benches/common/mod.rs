//! What every benchmark prints figures with.

use std::time::Duration;

/// The `p` quantile (0.5 for the median) of `samples`, which it sorts.
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let i = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[i]
}

/// Milliseconds, as figures are printed.
pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
