//! CPU time and resident memory of a process, read from `/proc`, for the
//! benchmarks (included with `#[path]`). Not every benchmark uses every
//! function.
#![allow(dead_code)]

/// User + system CPU seconds of this process (Linux USER_HZ is 100).
pub fn cpu_seconds() -> f64 {
    cpu_seconds_of("self")
}

/// User + system CPU seconds of a process (`pid`, or "self") or of one of
/// its threads (`"<pid>/task/<tid>"`).
pub fn cpu_seconds_of(pid: &str) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Resident memory in MiB of this process (`pid` "self") or another.
pub fn rss_mib(pid: &str) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .map_or(0.0, kib_to_mib)
}

/// A `/proc` size such as "  1234 kB", in MiB.
pub fn kib_to_mib(value: &str) -> f64 {
    value
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<f64>()
        .map_or(0.0, |kib| kib / 1024.0)
}
