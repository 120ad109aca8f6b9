//! Cross-checks `blueprint_core::stats` against numpy 2.4.6 / scipy 1.17.1 / statsmodels
//! 0.15.0 reference values committed under `tests/fixtures/stats/` (written by
//! `scripts/fixtures/gen_stats_fixtures.py`; CI reads only the JSON, never Python).
//!
//! Tolerances: statistics (means, SDs, interval bounds, percentiles, H, U, effect sizes,
//! Holm-adjusted p) within `1e-9 · max(1, |want|)`; p-values within `1e-6` absolute and,
//! for `want < 1e-3`, also within `1e-6 · want` (so a tiny p must be right in its leading
//! digits, not merely small). The largest observed differences are printed with
//! `--nocapture`.
//!
//! The bootstrap is checked in two parts because numpy's PCG64 cannot reproduce ChaCha8:
//! the percentile step on numpy-drawn resample indices (exact comparison with
//! `numpy.percentile`), and the whole seeded interval statistically (close to the t-interval
//! for normal samples, bit-identical for one seed).

use std::path::PathBuf;

use blueprint_core::stats::{
    Interval, MannWhitneyMethod, StatsError, SummaryConfig, bootstrap_mean_interval, cliffs_delta,
    fisher_exact, holm, kruskal_wallis, mann_whitney_u, percentile, percentile_interval,
    rank_biserial, summarize, t_interval,
};
use serde::Deserialize;

const STAT_TOL: f64 = 1e-9;
const P_TOL: f64 = 1e-6;

fn load<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stats")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[derive(Deserialize)]
struct Cases<C> {
    cases: Vec<C>,
}

/// Largest differences seen, printed at the end of each test.
#[derive(Default)]
struct Worst {
    stat: (f64, String),
    p_abs: (f64, String),
    p_rel: (f64, String),
}

/// Keeps the larger difference and the name of the value it came from.
fn keep_max(slot: &mut (f64, String), diff: f64, what: &str) {
    if diff > slot.0 {
        *slot = (diff, what.to_owned());
    }
}

impl Worst {
    fn stat(&mut self, got: f64, want: f64, what: &str) {
        let diff = (got - want).abs() / want.abs().max(1.0);
        assert!(
            diff <= STAT_TOL,
            "{what}: got {got:e}, want {want:e} (scaled diff {diff:e})"
        );
        keep_max(&mut self.stat, diff, what);
    }

    fn p(&mut self, got: f64, want: f64, what: &str) {
        assert!(
            (0.0..=1.0).contains(&got),
            "{what}: p = {got} outside [0, 1]"
        );
        let diff = (got - want).abs();
        assert!(diff <= P_TOL, "{what}: got p = {got:e}, want {want:e}");
        if want < 1e-3 {
            let rel = diff / want;
            assert!(
                rel <= P_TOL,
                "{what}: got p = {got:e}, want {want:e} (relative diff {rel:e})"
            );
            keep_max(&mut self.p_rel, rel, what);
        }
        keep_max(&mut self.p_abs, diff, what);
    }

    fn report(&self, test: &str) {
        println!(
            "{test}: max scaled statistic diff {:e} ({}), max p diff {:e} ({}), \
             max relative p diff where p < 1e-3 {:e} ({})",
            self.stat.0, self.stat.1, self.p_abs.0, self.p_abs.1, self.p_rel.0, self.p_rel.1
        );
    }
}

#[derive(Deserialize)]
struct SummaryCase {
    name: String,
    x: Vec<f64>,
    n: usize,
    mean: f64,
    sd: f64,
    t_intervals: Vec<LevelInterval>,
}

#[derive(Deserialize)]
struct LevelInterval {
    confidence_level: f64,
    low: f64,
    high: f64,
}

#[test]
fn summaries_match_numpy_and_scipy_t_intervals() {
    let cases: Cases<SummaryCase> = load("summary_cases.json");
    assert!(cases.cases.len() >= 15);
    let mut worst = Worst::default();
    for case in &cases.cases {
        let name = &case.name;
        for want in &case.t_intervals {
            let config = SummaryConfig {
                confidence_level: want.confidence_level,
                n_resamples: 500,
                seed: 7,
            };
            let s = summarize(&case.x, &config).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(s.n, case.n, "{name}");
            worst.stat(s.mean, case.mean, &format!("{name} mean"));
            worst.stat(s.sd, case.sd, &format!("{name} sd"));
            let c = want.confidence_level;
            worst.stat(s.t_interval.low, want.low, &format!("{name} t low @{c}"));
            worst.stat(s.t_interval.high, want.high, &format!("{name} t high @{c}"));
            assert_eq!(
                s.t_interval,
                t_interval(&case.x, c).unwrap(),
                "{name}: summarize and t_interval disagree"
            );
            let b = s.bootstrap_interval;
            assert!(
                b.low <= s.mean && s.mean <= b.high,
                "{name}: bootstrap {b:?} misses the mean {}",
                s.mean
            );
        }
    }
    worst.report("summary");
}

#[derive(Deserialize)]
struct PercentileFile {
    percentiles: Vec<PercentileCase>,
    bootstraps: Vec<BootstrapCase>,
}

#[derive(Deserialize)]
struct PercentileCase {
    name: String,
    sorted: Vec<f64>,
    percents: Vec<f64>,
    expected: Vec<f64>,
}

#[derive(Deserialize)]
struct BootstrapCase {
    name: String,
    x: Vec<f64>,
    confidence_level: f64,
    indices: Vec<Vec<usize>>,
    low: f64,
    high: f64,
}

#[test]
fn percentiles_match_numpy_linear_interpolation() {
    let file: PercentileFile = load("percentile_cases.json");
    assert!(file.percentiles.len() >= 5);
    let mut worst = Worst::default();
    for case in &file.percentiles {
        // Reverse the order: percentile must not rely on sorted input.
        let reversed: Vec<f64> = case.sorted.iter().rev().copied().collect();
        for (&p, &want) in case.percents.iter().zip(&case.expected) {
            let got = percentile(&reversed, p).unwrap();
            worst.stat(got, want, &format!("{} P{p}", case.name));
        }
    }
    worst.report("percentile");
}

#[test]
fn percentile_intervals_of_the_same_resample_means_match_numpy() {
    let file: PercentileFile = load("percentile_cases.json");
    assert!(file.bootstraps.len() >= 3);
    let mut worst = Worst::default();
    for case in &file.bootstraps {
        let n = case.x.len();
        let means: Vec<f64> = case
            .indices
            .iter()
            .map(|row| {
                assert_eq!(row.len(), n, "{}", case.name);
                row.iter().map(|&i| case.x[i]).sum::<f64>() / n as f64
            })
            .collect();
        let got = percentile_interval(&means, case.confidence_level).unwrap();
        worst.stat(got.low, case.low, &format!("{} low", case.name));
        worst.stat(got.high, case.high, &format!("{} high", case.name));
    }
    worst.report("bootstrap percentile step");
}

#[test]
fn seeded_bootstrap_of_normal_samples_is_close_to_the_t_interval_and_reproducible() {
    let cases: Cases<SummaryCase> = load("summary_cases.json");
    let normal: Vec<&SummaryCase> = cases
        .cases
        .iter()
        .filter(|c| c.name.starts_with("normal_") && c.n >= 20)
        .collect();
    assert!(normal.len() >= 3);
    for case in normal {
        let want = case
            .t_intervals
            .iter()
            .find(|t| t.confidence_level == 0.95)
            .expect("a 95% t-interval");
        let config = SummaryConfig::with_seed(2024);
        let got = bootstrap_mean_interval(&case.x, &config).unwrap();
        // The percentile bootstrap is narrower than the t-interval by about
        // z/t · √((n − 1)/n) (≈ 0.96 at n = 40, 0.93 at n = 20); with 10,000 resamples its
        // Monte Carlo error is ~1% of the width. 10% of the width holds both with room.
        let width = want.high - want.low;
        for (g, w, side) in [(got.low, want.low, "low"), (got.high, want.high, "high")] {
            assert!(
                (g - w).abs() <= 0.1 * width,
                "{}: bootstrap {side} {g} vs t {w} (width {width})",
                case.name
            );
        }
        let again = bootstrap_mean_interval(&case.x, &config).unwrap();
        assert_eq!(
            (got.low.to_bits(), got.high.to_bits()),
            (again.low.to_bits(), again.high.to_bits()),
            "{}: same seed, different interval",
            case.name
        );
        let other = bootstrap_mean_interval(&case.x, &SummaryConfig::with_seed(2025)).unwrap();
        assert_ne!(got, other, "{}: the seed is ignored", case.name);
        println!(
            "{} (n = {}): t [{:.6}, {:.6}], bootstrap [{:.6}, {:.6}]",
            case.name, case.n, want.low, want.high, got.low, got.high
        );
    }
}

#[derive(Deserialize)]
struct KruskalCase {
    name: String,
    groups: Vec<Vec<f64>>,
    h: f64,
    p: f64,
}

#[test]
fn kruskal_wallis_matches_scipy() {
    let cases: Cases<KruskalCase> = load("kruskal_cases.json");
    assert!(cases.cases.len() >= 15);
    let mut worst = Worst::default();
    let mut tiny = 0;
    for case in &cases.cases {
        let r = kruskal_wallis(&case.groups).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(r.df, case.groups.len() - 1, "{}", case.name);
        worst.stat(r.h, case.h, &format!("{} H", case.name));
        worst.p(r.p_value, case.p, &format!("{} p", case.name));
        tiny += usize::from(case.p < 1e-10);
    }
    assert!(tiny >= 2, "the fixtures should include tiny p-values");
    worst.report("kruskal");
}

#[derive(Deserialize)]
struct MannWhitneyCase {
    name: String,
    x: Vec<f64>,
    y: Vec<f64>,
    u1: f64,
    auto_method: String,
    p_auto: f64,
    p_exact: f64,
    p_asymptotic: f64,
    rank_biserial: f64,
    cliffs_delta: f64,
}

#[test]
fn mann_whitney_matches_scipy_for_auto_exact_and_asymptotic() {
    let cases: Cases<MannWhitneyCase> = load("mann_whitney_cases.json");
    assert!(cases.cases.len() >= 25);
    let mut worst = Worst::default();
    let (mut exact, mut asymptotic) = (0, 0);
    for case in &cases.cases {
        let name = &case.name;
        let run = |method| {
            mann_whitney_u(&case.x, &case.y, method).unwrap_or_else(|e| panic!("{name}: {e}"))
        };
        let auto = run(MannWhitneyMethod::Auto);
        let want_method = match case.auto_method.as_str() {
            "exact" => MannWhitneyMethod::Exact,
            "asymptotic" => MannWhitneyMethod::Asymptotic,
            other => panic!("{name}: unknown method {other}"),
        };
        assert_eq!(auto.method, want_method, "{name}: auto chose differently");
        exact += usize::from(want_method == MannWhitneyMethod::Exact);
        asymptotic += usize::from(want_method == MannWhitneyMethod::Asymptotic);
        // U is a sum of half-integer ranks minus a half-integer: exact in f64.
        assert_eq!(auto.u1, case.u1, "{name}: U1");
        assert_eq!(
            auto.u1 + auto.u2,
            (case.x.len() * case.y.len()) as f64,
            "{name}"
        );
        worst.p(auto.p_value, case.p_auto, &format!("{name} auto"));
        let e = run(MannWhitneyMethod::Exact);
        assert_eq!(e.method, MannWhitneyMethod::Exact);
        worst.p(e.p_value, case.p_exact, &format!("{name} exact"));
        let a = run(MannWhitneyMethod::Asymptotic);
        assert_eq!(a.method, MannWhitneyMethod::Asymptotic);
        worst.p(a.p_value, case.p_asymptotic, &format!("{name} asymptotic"));

        worst.stat(auto.rank_biserial, case.rank_biserial, &format!("{name} r"));
        let r = rank_biserial(&case.x, &case.y).unwrap();
        let d = cliffs_delta(&case.x, &case.y).unwrap();
        worst.stat(r, case.rank_biserial, &format!("{name} rank_biserial()"));
        worst.stat(d, case.cliffs_delta, &format!("{name} cliffs_delta()"));
        assert!((r - d).abs() <= 1e-12, "{name}: r = {r} but δ = {d}");
    }
    assert!(
        exact >= 8 && asymptotic >= 8,
        "{exact} exact, {asymptotic} asymptotic cases"
    );
    worst.report("mann-whitney");
}

#[derive(Deserialize)]
struct HolmCase {
    name: String,
    p: Vec<f64>,
    adjusted: Vec<f64>,
}

#[test]
fn holm_matches_statsmodels() {
    let cases: Cases<HolmCase> = load("holm_cases.json");
    assert!(cases.cases.len() >= 10);
    let mut worst = Worst::default();
    for case in &cases.cases {
        let got = holm(&case.p).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        assert_eq!(got.len(), case.adjusted.len(), "{}", case.name);
        for (i, (&g, &w)) in got.iter().zip(&case.adjusted).enumerate() {
            worst.stat(g, w, &format!("{} [{i}]", case.name));
            assert!(g >= case.p[i] && g <= 1.0, "{}: [{i}] = {g}", case.name);
        }
        // Monotone: a smaller raw p never gets a larger adjusted p.
        for i in 0..got.len() {
            for j in 0..got.len() {
                if case.p[i] <= case.p[j] {
                    assert!(got[i] <= got[j], "{}: not monotone at {i}, {j}", case.name);
                }
            }
        }
    }
    worst.report("holm");
}

#[derive(Deserialize)]
struct FisherCase {
    table: [[u64; 2]; 2],
    p: f64,
}

#[test]
fn fisher_exact_matches_scipy() {
    let cases: Cases<FisherCase> = load("fisher_cases.json");
    assert!(cases.cases.len() >= 500);
    let mut worst = Worst::default();
    for case in &cases.cases {
        let what = format!("{:?}", case.table);
        worst.p(fisher_exact(case.table), case.p, &what);
    }
    worst.report("fisher_exact");
}

#[derive(Deserialize)]
struct ErrorCase {
    name: String,
    groups: Vec<Vec<f64>>,
    error: String,
}

#[test]
fn inputs_where_scipy_returns_nan_or_a_meaningless_p_give_typed_errors() {
    let cases: Cases<ErrorCase> = load("error_cases.json");
    for case in &cases.cases {
        assert_eq!(case.error, "no_variation", "{}", case.name);
        let n: usize = case.groups.iter().map(Vec::len).sum();
        let err = if case.name.starts_with("kruskal") {
            kruskal_wallis(&case.groups).unwrap_err()
        } else {
            mann_whitney_u(&case.groups[0], &case.groups[1], MannWhitneyMethod::Auto).unwrap_err()
        };
        assert!(
            matches!(err, StatsError::NoVariation { n: got, .. } if got == n),
            "{}: {err:?}",
            case.name
        );
    }
}

#[test]
fn result_structs_serialise_to_json_without_nan() {
    let x = [0.81, 0.84, 0.79, 0.9, 0.86];
    let y = [0.7, 0.74, 0.69, 0.72, 0.75];
    let summary = summarize(&x, &SummaryConfig::with_seed(1)).unwrap();
    let json = serde_json::to_value(summary).unwrap();
    assert_eq!(json["n"], 5);
    assert_eq!(json["n_resamples"], 10_000);
    assert!(json["t_interval"]["low"].is_f64());
    let mwu =
        serde_json::to_value(mann_whitney_u(&x, &y, MannWhitneyMethod::Auto).unwrap()).unwrap();
    assert_eq!(mwu["method"], "exact");
    assert!(mwu["z"].is_null());
    let kw = serde_json::to_value(kruskal_wallis(&[&x[..], &y[..]]).unwrap()).unwrap();
    assert_eq!(kw["df"], 1);
    let interval: Interval = serde_json::from_str(r#"{"low": 0.1, "high": 0.2}"#).unwrap();
    assert_eq!(
        interval,
        Interval {
            low: 0.1,
            high: 0.2
        }
    );
}
