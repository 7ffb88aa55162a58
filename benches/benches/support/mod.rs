//! A small timing harness shared by the benchmarks: median of batched samples, with the
//! measured function and its baseline interleaved so drift affects both alike.

use std::time::{Duration, Instant};

const SAMPLES: usize = 31;

/// Median time per call of `f`, in batches sized so one sample takes about `target`.
pub fn measure(mut f: impl FnMut(), target: Duration) -> Duration {
    let start = Instant::now();
    f();
    let once = start.elapsed().max(Duration::from_nanos(1));
    let batch = (target.as_nanos() / once.as_nanos()).clamp(1, 100_000) as u32;
    let mut samples: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                f();
            }
            start.elapsed() / batch
        })
        .collect();
    samples.sort();
    samples[SAMPLES / 2]
}

/// Measures `subject` and `baseline` in alternating rounds; returns the medians of the rounds.
pub fn compare(
    mut subject: impl FnMut(),
    mut baseline: impl FnMut(),
    target: Duration,
) -> (Duration, Duration) {
    let mut subjects = Vec::new();
    let mut baselines = Vec::new();
    for _ in 0..5 {
        baselines.push(measure(&mut baseline, target));
        subjects.push(measure(&mut subject, target));
    }
    subjects.sort();
    baselines.sort();
    (subjects[2], baselines[2])
}

/// `1.234 ms` / `56.7 µs`.
pub fn show(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1e-3 {
        format!("{:.3} ms", secs * 1e3)
    } else {
        format!("{:.1} µs", secs * 1e6)
    }
}
