//! `blueprint-trainer grid`: the study's design (variants × tasks × seeds) as one command,
//! trained in parallel across independent runs (each run is sequential, so `jobs` runs keep
//! `jobs` cores busy), with one progress bar of finished runs and a `summary.csv`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use blueprint_core::network::Variant;

use crate::cli::{GridArgs, RunChoice};
use crate::config::TrainConfig;
use crate::train::{Progress, train_and_save, write_atomically};

/// Parses `1-20` or `1,2,5`.
pub fn parse_seeds(text: &str) -> Result<Vec<u64>> {
    let text = text.trim();
    if let Some((low, high)) = text.split_once('-') {
        let (low, high): (u64, u64) = (low.trim().parse()?, high.trim().parse()?);
        if low > high {
            bail!("seed range `{text}` is empty");
        }
        return Ok((low..=high).collect());
    }
    text.split(',')
        .map(|s| {
            s.trim()
                .parse::<u64>()
                .with_context(|| format!("`{s}` is not a seed"))
        })
        .collect()
}

/// The folder name of a run: labels spelled out so shells need no quoting.
pub fn run_name(field: &str, run: &RunChoice) -> String {
    let variant = run.variant.ascii_name();
    let positive = if run.positive { "-pos" } else { "" };
    format!(
        "{field}-{}-{variant}{positive}-s{}",
        run.task.as_str(),
        run.seed
    )
}

/// Trains the grid, writes `summary.csv` (one row per finished run) and `failed.csv` (one row
/// per failed run, with its reason), and fails if any run failed.
pub fn run_grid(args: &GridArgs) -> Result<()> {
    let seeds = parse_seeds(&args.seeds)?;
    let variants = if args.variants.is_empty() {
        Variant::ALL.to_vec()
    } else {
        args.variants.clone()
    };
    let source = args.data.source()?;
    let field = match &source {
        crate::config::DataSource::Bundle { field, .. } => field.clone(),
        crate::config::DataSource::Synthetic { n_neurons, .. } => format!("synthetic{n_neurons}"),
    };
    let mut configs: Vec<TrainConfig> = Vec::new();
    for &task in &args.tasks {
        for &variant in &variants {
            for &seed in &seeds {
                let run = RunChoice {
                    task,
                    variant,
                    positive: args.positive,
                    seed,
                };
                let out: PathBuf = args.out.join(run_name(&field, &run));
                configs.push(args.protocol.config(source.clone(), run, out)?);
            }
        }
    }
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build()?;
    let bar = ProgressBar::new(configs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template(
            "grid [{elapsed_precise}] {bar:30} {pos}/{len} runs ({eta}) {msg}",
        )
        .expect("valid template"),
    );
    let rows = Mutex::new(Vec::new());
    let failures = Mutex::new(Vec::new());
    pool.install(|| {
        configs.par_iter().for_each(|config| {
            match train_and_save(config, Progress::Quiet) {
                Ok(run) => {
                    let outcome = run.manifest.outcome.clone().expect("trained");
                    let line = format!("{} val {:.3}", config.name, outcome.val_accuracy);
                    if bar.is_hidden() {
                        // No terminal (a log file, CI): one line per finished run instead.
                        eprintln!(
                            "[{}/{}] {line}",
                            bar.position() + 1,
                            bar.length().unwrap_or(0)
                        );
                    }
                    bar.set_message(line);
                    let registered = match &args.upload.register {
                        Some(server) => match crate::register::register_run(
                            &config.out,
                            server,
                            args.upload.token.as_deref(),
                        ) {
                            Ok(r) => r.id,
                            Err(e) => {
                                failures
                                    .lock()
                                    .expect("lock")
                                    .push((config.name.clone(), format!("register: {e:#}")));
                                String::new()
                            }
                        },
                        None => String::new(),
                    };
                    rows.lock()
                        .expect("lock")
                        .push((config.clone(), outcome, registered));
                }
                Err(e) => failures
                    .lock()
                    .expect("lock")
                    .push((config.name.clone(), format!("{e:#}"))),
            }
            bar.inc(1);
        })
    });
    bar.finish();

    let mut rows = rows.into_inner().expect("lock");
    rows.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut csv = String::from(
        "run,task,variant,positive,seed,val_accuracy,val_loss,train_accuracy_last_epoch,regulariser,wall_seconds,model_id\n",
    );
    for (config, outcome, id) in &rows {
        writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{},{:.2},{}",
            config.name,
            config.task.kind(),
            config.variant,
            config.positive,
            config.seed,
            outcome.val_accuracy,
            outcome.val_loss,
            outcome.train_accuracy_last_epoch,
            outcome.regulariser,
            outcome.wall_seconds,
            id
        )?;
    }
    std::fs::create_dir_all(&args.out)?;
    write_atomically(&args.out.join("summary.csv"), csv.as_bytes())?;
    println!(
        "{} runs → {}",
        rows.len(),
        args.out.join("summary.csv").display()
    );
    let failures = failures.into_inner().expect("lock");
    // Failed runs (a diverged run, a refused registration) are recorded with their reason,
    // one line each, beside the summary; the other runs are unaffected.
    let mut failed_csv = String::from("run,reason\n");
    for (run, reason) in &failures {
        let quoted = reason.replace('"', "\"\"").replace('\n', " ");
        writeln!(failed_csv, "{run},\"{quoted}\"")?;
    }
    write_atomically(&args.out.join("failed.csv"), failed_csv.as_bytes())?;
    if !failures.is_empty() {
        bail!(
            "{} of {} runs failed:\n{}",
            failures.len(),
            configs.len(),
            failures
                .iter()
                .map(|(run, reason)| format!("{run}: {reason}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use blueprint_core::task::TaskKind;

    #[test]
    fn seeds_parse_as_ranges_and_lists() {
        assert_eq!(parse_seeds("1-3").unwrap(), vec![1, 2, 3]);
        assert_eq!(parse_seeds("4, 9").unwrap(), vec![4, 9]);
        assert!(parse_seeds("3-1").is_err());
        assert!(parse_seeds("a").is_err());
    }

    #[test]
    fn run_names_need_no_quoting() {
        let run = RunChoice {
            task: TaskKind::GoNogo,
            variant: Variant::PermutedDRealCEmd,
            positive: true,
            seed: 4,
        };
        assert_eq!(
            run_name("6_6_2", &run),
            "6_6_2-go-nogo-WpermDstarCstar-pos-s4"
        );
    }
}
