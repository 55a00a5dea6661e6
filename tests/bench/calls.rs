//! Call media benchmarks on 127.0.0.1 (run with `cargo bench --bench calls`):
//!
//! - setup: time from applying the answer to the caller's first decoded
//!   audio, median over several calls (target: under 500 ms);
//! - cpu: process CPU time over wall time of one Opus + VP8 640x480 call
//!   (both ends run in this process, so one end costs about half);
//! - memory: resident memory growth per extra concurrent call.

#[path = "../support/media.rs"]
mod media;

#[path = "process.rs"]
mod process;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use media::{Side, negotiate, run_until, side};
use process::{cpu_seconds, rss_mib};
use warbler::jingle::media::{MediaEvent, VideoSize};

const SETUP_CALLS: usize = 7;
const CPU_SECONDS: u64 = 10;
const CONCURRENT_CALLS: usize = 3;
const VGA: VideoSize = VideoSize {
    width: 640,
    height: 480,
};
const STEP_TIMEOUT: Duration = Duration::from_secs(30);

fn first_audio(side: &Side) -> bool {
    side.saw(|e| matches!(e, MediaEvent::FirstAudioDecoded))
}

fn flowing(side: &Side) -> bool {
    first_audio(side) && side.received.frames.load(Ordering::Relaxed) > 0
}

/// One call up to the caller's first decoded audio; returns the time from
/// the answer being applied to it.
async fn setup_time() -> Option<Duration> {
    let mut a = side(440.0, 0, VGA);
    let mut b = side(880.0, 18, VGA);
    negotiate(&mut a, &mut b, true, str::to_owned).await;
    let applied = Instant::now();
    let ok = run_until(&mut a, &mut b, STEP_TIMEOUT, |a, _| first_audio(a)).await;
    let elapsed = applied.elapsed();
    a.engine.close();
    b.engine.close();
    ok.then_some(elapsed)
}

async fn bench_setup() {
    let mut times = Vec::new();
    for _ in 0..SETUP_CALLS {
        match setup_time().await {
            Some(time) => times.push(time),
            None => println!("setup: a call did not connect within {STEP_TIMEOUT:?}"),
        }
    }
    if times.is_empty() {
        return;
    }
    times.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    println!(
        "setup: answer applied → first decoded audio over {} calls: median {:.0} ms, \
         min {:.0} ms, max {:.0} ms (target < 500 ms)",
        times.len(),
        ms(&times[times.len() / 2]),
        ms(&times[0]),
        ms(&times[times.len() - 1]),
    );
}

async fn connected_call() -> Option<(Side, Side)> {
    let mut a = side(440.0, 0, VGA);
    let mut b = side(880.0, 18, VGA);
    negotiate(&mut a, &mut b, true, str::to_owned).await;
    run_until(&mut a, &mut b, STEP_TIMEOUT, |a, b| {
        flowing(a) && flowing(b)
    })
    .await
    .then_some((a, b))
}

async fn bench_cpu() {
    let Some((mut a, mut b)) = connected_call().await else {
        println!("cpu: the call did not connect within {STEP_TIMEOUT:?}");
        return;
    };
    // Let the encoders settle before measuring.
    run_until(&mut a, &mut b, Duration::from_secs(2), |_, _| false).await;
    let (frames_a, frames_b) = (
        a.received.frames.load(Ordering::Relaxed),
        b.received.frames.load(Ordering::Relaxed),
    );
    let (cpu, wall) = (cpu_seconds(), Instant::now());
    run_until(&mut a, &mut b, Duration::from_secs(CPU_SECONDS), |_, _| {
        false
    })
    .await;
    let used = cpu_seconds() - cpu;
    let wall = wall.elapsed().as_secs_f64();
    let fps = |side: &Side, before: u64| {
        (side.received.frames.load(Ordering::Relaxed) - before) as f64 / wall
    };
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "cpu: Opus + VP8 {}x{} call, both ends in one process, over {wall:.1} s: \
         {:.0}% of one core ({:.0}% of this {cores}-core machine); one end ≈ {:.0}% of one core; \
         received {:.1} and {:.1} frames/s",
        VGA.width,
        VGA.height,
        100.0 * used / wall,
        100.0 * used / wall / cores as f64,
        50.0 * used / wall,
        fps(&a, frames_a),
        fps(&b, frames_b),
    );
    a.engine.close();
    b.engine.close();
}

async fn bench_memory() {
    // One call first, so that plugin loading and one-time set-up are not
    // counted against the calls measured.
    if let Some((a, b)) = connected_call().await {
        a.engine.close();
        b.engine.close();
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut calls = Vec::new();
    let mut samples = vec![rss_mib("self")];
    for _ in 0..CONCURRENT_CALLS {
        match connected_call().await {
            Some(call) => calls.push(call),
            None => {
                println!("memory: a call did not connect within {STEP_TIMEOUT:?}");
                break;
            }
        }
        // Let buffers and jitter buffers fill before sampling.
        tokio::time::sleep(Duration::from_secs(2)).await;
        for (a, b) in &mut calls {
            a.drain();
            b.drain();
        }
        samples.push(rss_mib("self"));
    }
    let growth: Vec<String> = samples
        .windows(2)
        .map(|w| format!("{:+.1}", w[1] - w[0]))
        .collect();
    if let (Some(first), Some(last)) = (samples.first(), samples.last())
        && samples.len() > 1
    {
        let per_call = (last - first) / (samples.len() - 1) as f64;
        println!(
            "memory: RSS {first:.0} MiB → {last:.0} MiB with {} concurrent {}x{} calls \
             (MiB per call added: {}); ≈ {per_call:.1} MiB per call for both ends, \
             ≈ {:.1} MiB per end",
            samples.len() - 1,
            VGA.width,
            VGA.height,
            growth.join(", "),
            per_call / 2.0,
        );
    }
    for (a, b) in &calls {
        a.engine.close();
        b.engine.close();
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --all-targets` runs bench binaries too; measuring
        // belongs to `cargo bench`.
        println!("call benchmarks: run with `cargo bench --bench calls`");
        return;
    }
    bench_setup().await;
    bench_cpu().await;
    bench_memory().await;
}
