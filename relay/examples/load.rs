//! A load test of the relay on loopback, bounded and self-stopping: simulated laptops in teams push
//! sealed blobs a few times a minute and pull their team's log, against relay processes this tool
//! starts (one on a SQLite file, or several on one PostgreSQL database), for a fixed time. Then it
//! reads every team's log back and checks that each pushed blob is there exactly once.
//!
//! ```text
//! cargo build --release -p proxi-relay --bins --examples
//! target/release/examples/load [--laptops 2000] [--teams 200] [--seconds 60] [--pushes-per-minute 3]
//!                              [--pulls-per-minute 3] [--postgres URL --relays 2]
//! ```
//!
//! The blobs are real envelopes (sealed and signed by each laptop's own keys) of 400 random bytes;
//! the relay checks their headers as it does for Proxi's. Prints pushes and pulls per second, p50,
//! p95 and p99 latency, errors, and lost or duplicated blobs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use ed25519_dalek::SigningKey;
use proxi_wire::envelope::{self, BlobHeader, BlobKind, TeamKey};
use rand::Rng;
use uuid::Uuid;

#[derive(Debug, Parser)]
struct Args {
    #[arg(long, default_value_t = 2000)]
    laptops: usize,
    #[arg(long, default_value_t = 200)]
    teams: usize,
    /// How long the load runs
    #[arg(long, default_value_t = 60)]
    seconds: u64,
    #[arg(long, default_value_t = 3.0)]
    pushes_per_minute: f64,
    #[arg(long, default_value_t = 3.0)]
    pulls_per_minute: f64,
    /// Relay processes on one PostgreSQL database instead of one on a SQLite file
    #[arg(long)]
    postgres: Option<String>,
    #[arg(long, default_value_t = 1)]
    relays: usize,
    /// Threads sending the requests (each request is timed on its own)
    #[arg(long, default_value_t = 64)]
    threads: usize,
}

struct Laptop {
    team: Uuid,
    device: Uuid,
    token: String,
    relay: usize,
    key: SigningKey,
    team_key: Arc<TeamKey>,
    document: Uuid,
    sequence: AtomicU64,
    cursor: AtomicU64,
}

struct Relay(Child);

impl Drop for Relay {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn relay_bin() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join("proxi-relay"))
        .context("where the relay binary is")?;
    if !bin.exists() {
        bail!(
            "{} is missing: cargo build --release -p proxi-relay --bins --examples",
            bin.display()
        );
    }
    Ok(bin)
}

fn storage(args: &Args, db: &Path) -> Vec<String> {
    match &args.postgres {
        Some(url) => vec!["--database".into(), url.clone()],
        None => vec!["--db".into(), db.display().to_string()],
    }
}

fn start(bin: &Path, storage: &[String]) -> anyhow::Result<(Relay, String)> {
    use std::io::BufRead;
    let mut child = Command::new(bin)
        .args(storage)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()?;
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.as_mut().context("stdout")?).read_line(&mut line)?;
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .context("the relay's address")?
        .to_owned();
    Ok((Relay(child), url))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[derive(Clone, Copy)]
enum Kind {
    Push,
    Pull,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.laptops == 0 || args.teams == 0 || args.teams > args.laptops || args.relays == 0 {
        bail!("--laptops ≥ --teams ≥ 1 and --relays ≥ 1");
    }
    if args.postgres.is_none() && args.relays > 1 {
        bail!("several relays share one PostgreSQL database: give --postgres");
    }
    let bin = relay_bin()?;
    let dir = tempfile::tempdir()?;
    let storage = storage(&args, &dir.path().join("relay.db"));

    // Devices registered the way an operator does, one `add-device` each.
    let started = Instant::now();
    let mut rng = rand::rng();
    let teams: Vec<(Uuid, Arc<TeamKey>)> = (0..args.teams)
        .map(|_| Ok((Uuid::new_v4(), Arc::new(TeamKey::generate()?))))
        .collect::<Result<_, getrandom::Error>>()?;
    let mut laptops = Vec::with_capacity(args.laptops);
    for i in 0..args.laptops {
        let (team, team_key) = teams[i % args.teams].clone();
        let device = Uuid::new_v4();
        let out = Command::new(&bin)
            .args(&storage)
            .args([
                "add-device",
                "--team",
                &team.to_string(),
                "--device",
                &device.to_string(),
            ])
            .output()?;
        if !out.status.success() {
            bail!("add-device: {}", String::from_utf8_lossy(&out.stderr));
        }
        laptops.push(Laptop {
            team,
            device,
            token: String::from_utf8(out.stdout)?.trim().to_owned(),
            relay: i % args.relays,
            key: envelope::new_device_key()?,
            team_key,
            document: Uuid::new_v4(),
            sequence: AtomicU64::new(0),
            cursor: AtomicU64::new(0),
        });
    }
    println!(
        "{} laptops in {} teams registered in {:.1} s; {} relay process(es) on {}",
        args.laptops,
        args.teams,
        started.elapsed().as_secs_f64(),
        args.relays,
        if args.postgres.is_some() {
            "one PostgreSQL database"
        } else {
            "one SQLite file"
        }
    );
    let mut relays = Vec::new();
    let mut urls = Vec::new();
    for _ in 0..args.relays {
        let (relay, url) = start(&bin, &storage)?;
        relays.push(relay);
        urls.push(url);
    }

    // Every laptop's pushes and pulls, at random moments of the run (Poisson-like, open loop).
    let run = Duration::from_secs(args.seconds);
    let mut events: Vec<(Duration, usize, Kind)> = Vec::new();
    for laptop in 0..args.laptops {
        for (rate, kind) in [
            (args.pushes_per_minute, Kind::Push),
            (args.pulls_per_minute, Kind::Pull),
        ] {
            let count = (rate * args.seconds as f64 / 60.0).round() as usize;
            for _ in 0..count {
                events.push((run.mul_f64(rng.random::<f64>()), laptop, kind));
            }
        }
    }
    events.sort_by_key(|e| e.0);
    let total = events.len();
    let events = Arc::new(events);
    let next = Arc::new(AtomicUsize::new(0));
    let laptops = Arc::new(laptops);
    let urls = Arc::new(urls);
    let timings: Arc<Mutex<(Vec<Duration>, Vec<Duration>)>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    // Each laptop sends in order (a laptop's pushes never overlap): one lock per laptop.
    let busy: Arc<Vec<Mutex<()>>> = Arc::new((0..args.laptops).map(|_| Mutex::new(())).collect());
    let begin = Instant::now();
    let workers: Vec<_> = (0..args.threads)
        .map(|_| {
            let (events, next, laptops, urls, timings, errors, busy) = (
                events.clone(),
                next.clone(),
                laptops.clone(),
                urls.clone(),
                timings.clone(),
                errors.clone(),
                busy.clone(),
            );
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new()
                    .timeout(Duration::from_secs(30))
                    .build();
                let mut payload = vec![0u8; 400];
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&(at, who, kind)) = events.get(n) else {
                        break;
                    };
                    if let Some(wait) = at.checked_sub(begin.elapsed()) {
                        std::thread::sleep(wait);
                    }
                    let l = &laptops[who];
                    let _turn = busy[who].lock().unwrap_or_else(|p| p.into_inner());
                    let url = &urls[l.relay];
                    let auth = format!("Bearer {}", l.token);
                    let asked = Instant::now();
                    let result = match kind {
                        Kind::Push => {
                            let sequence = l.sequence.load(Ordering::Relaxed) + 1;
                            rand::rng().fill(&mut payload[..]);
                            let header = BlobHeader {
                                kind: BlobKind::Changes,
                                team: l.team,
                                document: l.document,
                                device: l.device,
                                sequence,
                                epoch: 1,
                            };
                            envelope::seal(&l.team_key, &l.key, &header, &payload)
                                .map_err(|e| e.to_string())
                                .and_then(|blob| {
                                    agent
                                        .post(&format!("{url}/v1/blobs"))
                                        .set("Authorization", &auth)
                                        .send_bytes(&blob)
                                        .map_err(|e| e.to_string())
                                })
                                .map(|_| l.sequence.store(sequence, Ordering::Relaxed))
                        }
                        Kind::Pull => {
                            let since = l.cursor.load(Ordering::Relaxed);
                            agent
                                .get(&format!("{url}/v1/blobs?since={since}&limit=500"))
                                .set("Authorization", &auth)
                                .call()
                                .map_err(|e| e.to_string())
                                .and_then(|r| {
                                    let mut body = Vec::new();
                                    std::io::Read::read_to_end(&mut r.into_reader(), &mut body)
                                        .map_err(|e| e.to_string())?;
                                    let blobs = proxi_wire::frame::decode(&body)
                                        .map_err(|e| e.to_string())?;
                                    if let Some((last, _)) = blobs.last() {
                                        l.cursor.store(*last, Ordering::Relaxed);
                                    }
                                    Ok(())
                                })
                        }
                    };
                    let took = asked.elapsed();
                    match result {
                        Ok(()) => {
                            let mut t = timings.lock().unwrap_or_else(|p| p.into_inner());
                            match kind {
                                Kind::Push => t.0.push(took),
                                Kind::Pull => t.1.push(took),
                            }
                        }
                        Err(e) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(e),
                    }
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    let elapsed = begin.elapsed();

    // Every team's log read back: each pushed blob once, nothing else.
    let mut found: HashMap<(Uuid, u64), usize> = HashMap::new();
    let agent = ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build();
    let first_of_team: BTreeMap<Uuid, &Laptop> =
        laptops.iter().rev().map(|l| (l.team, l)).collect();
    for l in first_of_team.values() {
        let mut since = 0;
        loop {
            let r = agent
                .get(&format!("{}/v1/blobs?since={since}&limit=5000", urls[0]))
                .set("Authorization", &format!("Bearer {}", l.token))
                .call()?;
            let more = r.header("x-proxi-more") == Some("true");
            let mut body = Vec::new();
            std::io::Read::read_to_end(&mut r.into_reader(), &mut body)?;
            let blobs = proxi_wire::frame::decode(&body)?;
            for (position, blob) in &blobs {
                let h = envelope::peek(blob)?;
                if h.team != l.team {
                    bail!("a blob of team {} in the log of team {}", h.team, l.team);
                }
                *found.entry((h.device, h.sequence)).or_default() += 1;
                since = *position;
            }
            if !more {
                break;
            }
        }
    }
    let pushed: u64 = laptops
        .iter()
        .map(|l| l.sequence.load(Ordering::Relaxed))
        .sum();
    let lost = laptops
        .iter()
        .flat_map(|l| (1..=l.sequence.load(Ordering::Relaxed)).map(move |s| (l.device, s)))
        .filter(|k| !found.contains_key(k))
        .count();
    let duplicated = found.values().filter(|n| **n > 1).count();
    let unknown = found.len() + lost - usize::try_from(pushed)?;
    drop(relays);

    let (mut pushes, mut pulls) =
        std::mem::take(&mut *timings.lock().unwrap_or_else(|p| p.into_inner()));
    pushes.sort();
    pulls.sort();
    let errors = errors.lock().unwrap_or_else(|p| p.into_inner());
    let secs = elapsed.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    for (name, list) in [("push", &pushes), ("pull", &pulls)] {
        println!(
            "{name}: {} in {secs:.0} s = {:.1}/s; latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            list.len(),
            list.len() as f64 / secs,
            ms(percentile(list, 0.50)),
            ms(percentile(list, 0.95)),
            ms(percentile(list, 0.99)),
            ms(list.last().copied().unwrap_or_default()),
        );
    }
    println!(
        "{} requests planned, {} errors{}; blobs read back: {pushed} pushed, {lost} lost, {duplicated} duplicated, {unknown} not pushed",
        total,
        errors.len(),
        errors
            .first()
            .map(|e| format!(" (first: {e})"))
            .unwrap_or_default(),
    );
    if !errors.is_empty() || lost > 0 || duplicated > 0 || unknown > 0 {
        bail!("the relay lost, duplicated or refused blobs");
    }
    Ok(())
}
