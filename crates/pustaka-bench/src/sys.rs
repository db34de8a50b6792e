//! What the machine and this process look like: peak memory from `/proc/self/status`, CPU
//! and memory from `/proc` (Linux; elsewhere the figures are absent).

use serde::Serialize;

/// A `kB` field of `/proc/self/status`, in bytes.
fn status_field(name: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|l| {
        let rest = l.strip_prefix(name)?.strip_prefix(':')?;
        let kb: u64 = rest.trim().trim_end_matches("kB").trim().parse().ok()?;
        Some(kb * 1024)
    })
}

/// The peak resident set size of this process so far (VmHWM), in bytes. It never goes
/// down, so phases that need their own peak run in their own process.
pub fn peak_rss() -> Option<u64> {
    status_field("VmHWM")
}

/// The current resident set size (VmRSS), in bytes.
pub fn current_rss() -> Option<u64> {
    status_field("VmRSS")
}

/// The current resident memory split into anonymous memory (heap) and file pages (tantivy
/// and sled map their files), in bytes. Peak figures include both.
#[derive(Debug, Clone, Copy, Serialize, serde::Deserialize)]
pub struct RssSplit {
    pub anon_bytes: Option<u64>,
    pub file_bytes: Option<u64>,
}

pub fn rss_split() -> RssSplit {
    RssSplit {
        anon_bytes: status_field("RssAnon"),
        file_bytes: status_field("RssFile"),
    }
}

/// CPU time this process has used so far (user, system), in seconds, from
/// `/proc/self/stat` (whose clock ticks are 1/100 s on Linux). On a shared machine, CPU
/// time varies less than wall time.
pub fn cpu_seconds() -> Option<(f64, f64)> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let user: f64 = f.get(11)?.parse().ok()?;
    let system: f64 = f.get(12)?.parse().ok()?;
    Some((user / 100.0, system / 100.0))
}

/// The 1, 5 and 15 minute load averages: on a shared machine, other work skews figures.
pub fn load_average() -> Option<[f64; 3]> {
    let s = std::fs::read_to_string("/proc/loadavg").ok()?;
    let mut it = s.split_whitespace().map(|x| x.parse::<f64>().ok());
    Some([it.next()??, it.next()??, it.next()??])
}

#[derive(Debug, Clone, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: Option<String>,
    pub memory_bytes: Option<u64>,
    pub os: &'static str,
    /// False for a debug build, whose figures mean little.
    pub release_build: bool,
}

impl Machine {
    pub fn detect() -> Machine {
        let cpu_model = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        });
        let memory_bytes = std::fs::read_to_string("/proc/meminfo").ok().and_then(|s| {
            s.lines().find_map(|l| {
                let kb = l
                    .strip_prefix("MemTotal:")?
                    .trim()
                    .trim_end_matches("kB")
                    .trim();
                kb.parse::<u64>().ok().map(|k| k * 1024)
            })
        });
        Machine {
            cpus: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            memory_bytes,
            os: std::env::consts::OS,
            release_build: !cfg!(debug_assertions),
        }
    }
}

/// The command line of this process, quoted for a POSIX shell.
pub fn command_line() -> String {
    std::env::args()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c))
            {
                a
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_own_memory() {
        if cfg!(target_os = "linux") {
            let peak = super::peak_rss().unwrap();
            let now = super::current_rss().unwrap();
            assert!(peak >= now && now > 0);
            let (user, system) = super::cpu_seconds().unwrap();
            assert!(user >= 0.0 && system >= 0.0);
        }
    }
}
