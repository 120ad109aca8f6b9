//! The statistics of a comparison, measure by measure, from the per-model values: for each
//! group n, mean, SD, the 95% t-interval and the seeded percentile bootstrap interval of the
//! mean; the Kruskal–Wallis omnibus test over the groups; every pair of groups by a two-sided
//! Mann–Whitney U test (scipy's `auto` choice of exact or asymptotic p), Holm-adjusted over
//! the measure's pairs, with Cliff's δ and the rank-biserial correlation as effect sizes. All
//! of it is `core::stats`; this module only arranges the samples.
//!
//! A statistic that has no value for its samples (an SD of one value, a rank test on values
//! that are all equal, as perfect accuracies on Go/NoGo give) is `null` with the reason beside
//! it, never NaN. Holm's family is the pairs of one measure that have a p-value.

use std::collections::BTreeMap;
use std::fmt;

use blueprint_core::metrics::MetricKind;
use blueprint_core::network::Variant;
use blueprint_core::stats::{
    KruskalWallis, MannWhitney, MannWhitneyMethod, Summary, SummaryConfig, cliffs_delta, holm,
    kruskal_wallis, mann_whitney_u, summarize,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a comparison can aggregate: held-out accuracy or one of `core`'s metrics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Held-out accuracy from the evaluation path.
    Accuracy,
    /// The headline number of a metric of `W_rec` (`MetricsReport::value`).
    Metric(MetricKind),
}

impl Measure {
    /// Every measure, accuracy first then the metrics in `core`'s order.
    pub fn all() -> impl Iterator<Item = Measure> {
        std::iter::once(Measure::Accuracy).chain(MetricKind::ALL.into_iter().map(Measure::Metric))
    }

    /// The name in requests, results and table headers: `accuracy` or the metric's label.
    pub fn label(self) -> &'static str {
        match self {
            Measure::Accuracy => "accuracy",
            Measure::Metric(metric) => metric.label(),
        }
    }

    /// The metric, for a metric measure.
    pub fn metric(self) -> Option<MetricKind> {
        match self {
            Measure::Accuracy => None,
            Measure::Metric(metric) => Some(metric),
        }
    }

    /// The measure named `name`, or why there is none (listing the known names).
    pub fn parse(name: &str) -> Result<Measure, String> {
        Measure::all()
            .find(|measure| measure.label() == name)
            .ok_or_else(|| {
                let known: Vec<&str> = Measure::all().map(Measure::label).collect();
                format!("unknown measure `{name}`; known: {}", known.join(", "))
            })
    }
}

impl fmt::Display for Measure {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// One model's values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeasuredModel {
    pub model_id: i64,
    pub name: String,
    pub variant: Variant,
    /// The training run's master seed.
    pub seed: u64,
    /// Value by measure name; a requested measure missing here is in `excluded`.
    pub values: BTreeMap<String, f64>,
}

/// A model left out of one measure, and why (a metric undefined for its matrix, a model
/// deleted while the comparison ran).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Exclusion {
    pub model_id: i64,
    pub measure: String,
    pub reason: String,
}

/// The comparison of the groups on one measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct MeasureComparison {
    pub measure: String,
    /// One entry per group, in the comparison's group order.
    pub groups: Vec<GroupSummary>,
    /// Kruskal–Wallis H test over the groups that have values; null when undefined.
    pub kruskal_wallis: Option<KruskalWallis>,
    /// Why `kruskal_wallis` is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kruskal_wallis_undefined: Option<String>,
    /// Every pair of groups `(a, b)`, `a` before `b` in group order.
    pub pairwise: Vec<PairwiseTest>,
}

/// One group's summary on one measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GroupSummary {
    pub group: Variant,
    /// n, mean, SD, t-interval and bootstrap interval of the group's values; null when
    /// undefined (fewer than 2 values).
    pub summary: Option<Summary>,
    /// Why `summary` is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// Groups `a` and `b` compared on one measure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PairwiseTest {
    pub a: Variant,
    pub b: Variant,
    /// The two-sided Mann–Whitney U test of `a` against `b` (its `rank_biserial` is positive
    /// when `a` tends to be larger); null when undefined.
    pub mann_whitney: Option<MannWhitney>,
    /// The test's p-value after Holm's adjustment over this measure's pairs.
    pub p_holm: Option<f64>,
    /// Cliff's δ of `a` against `b`, `P(a > b) − P(a < b)` (equal to the rank-biserial
    /// correlation).
    pub cliffs_delta: Option<f64>,
    /// Why the test is null.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// Compares `groups` on each of `measures`, with the values of `models` (a model counts in
/// its variant's group). Intervals at 95% with [`SummaryConfig::with_seed`]`(seed)`: 10,000
/// bootstrap resamples from one ChaCha8 stream per group and measure, all seeded by `seed`.
pub fn compare(
    measures: &[Measure],
    groups: &[Variant],
    models: &[MeasuredModel],
    seed: u64,
) -> Vec<MeasureComparison> {
    let summary_config = SummaryConfig::with_seed(seed);
    measures
        .iter()
        .map(|measure| {
            let samples: Vec<Vec<f64>> = groups
                .iter()
                .map(|group| {
                    models
                        .iter()
                        .filter(|model| model.variant == *group)
                        .filter_map(|model| model.values.get(measure.label()).copied())
                        .collect()
                })
                .collect();
            compare_samples(*measure, groups, &samples, &summary_config)
        })
        .collect()
}

fn compare_samples(
    measure: Measure,
    groups: &[Variant],
    samples: &[Vec<f64>],
    summary_config: &SummaryConfig,
) -> MeasureComparison {
    let group_summaries = groups
        .iter()
        .zip(samples)
        .map(|(group, values)| {
            if values.len() < 2 {
                return GroupSummary {
                    group: *group,
                    summary: None,
                    undefined: Some(format!(
                        "{} model(s) of {group} have a value for {measure}; a summary needs \
                         at least 2 (see `excluded`)",
                        values.len()
                    )),
                };
            }
            match summarize(values, summary_config) {
                Ok(summary) => GroupSummary {
                    group: *group,
                    summary: Some(summary),
                    undefined: None,
                },
                Err(error) => GroupSummary {
                    group: *group,
                    summary: None,
                    undefined: Some(error.to_string()),
                },
            }
        })
        .collect();

    let present: Vec<&Vec<f64>> = samples.iter().filter(|values| !values.is_empty()).collect();
    let (kruskal_wallis, kruskal_wallis_undefined) = if present.len() < 2 {
        (
            None,
            Some(format!(
                "{} group(s) have values for {measure}; the Kruskal–Wallis test needs at \
                 least 2",
                present.len()
            )),
        )
    } else {
        match kruskal_wallis(&present) {
            Ok(test) => (Some(test), None),
            Err(error) => (None, Some(error.to_string())),
        }
    };

    let mut pairwise = Vec::new();
    for (i, a) in groups.iter().enumerate() {
        for (j, b) in groups.iter().enumerate().skip(i + 1) {
            let (x, y) = (&samples[i], &samples[j]);
            let test = if x.is_empty() || y.is_empty() {
                let empty = if x.is_empty() { a } else { b };
                Err(format!("no model of {empty} has a value for {measure}"))
            } else {
                mann_whitney_u(x, y, MannWhitneyMethod::Auto)
                    .map_err(|error| error.to_string())
                    .and_then(|test| {
                        let delta = cliffs_delta(x, y).map_err(|error| error.to_string())?;
                        Ok((test, delta))
                    })
            };
            pairwise.push(match test {
                Ok((test, delta)) => PairwiseTest {
                    a: *a,
                    b: *b,
                    mann_whitney: Some(test),
                    p_holm: None,
                    cliffs_delta: Some(delta),
                    undefined: None,
                },
                Err(reason) => PairwiseTest {
                    a: *a,
                    b: *b,
                    mann_whitney: None,
                    p_holm: None,
                    cliffs_delta: None,
                    undefined: Some(reason),
                },
            });
        }
    }
    let tested: Vec<usize> = (0..pairwise.len())
        .filter(|&k| pairwise[k].mann_whitney.is_some())
        .collect();
    let p_values: Vec<f64> = tested
        .iter()
        .filter_map(|&k| pairwise[k].mann_whitney.map(|test| test.p_value))
        .collect();
    // core's p-values lie in [0, 1], which is all Holm checks.
    let adjusted = holm(&p_values).expect("Mann–Whitney p-values lie in [0, 1]");
    for (&k, p_holm) in tested.iter().zip(adjusted) {
        pairwise[k].p_holm = Some(p_holm);
    }

    MeasureComparison {
        measure: measure.label().to_owned(),
        groups: group_summaries,
        kruskal_wallis,
        kruskal_wallis_undefined,
        pairwise,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use blueprint_core::stats::StatsError;

    fn model(id: i64, variant: Variant, accuracy: Option<f64>) -> MeasuredModel {
        MeasuredModel {
            model_id: id,
            name: format!("m{id}"),
            variant,
            seed: id as u64,
            values: accuracy
                .map(|value| BTreeMap::from([("accuracy".to_owned(), value)]))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn measures_parse_by_label_and_unknown_names_list_the_known_ones() {
        assert_eq!(Measure::parse("accuracy"), Ok(Measure::Accuracy));
        assert_eq!(
            Measure::parse("small-world"),
            Ok(Measure::Metric(MetricKind::SmallWorld))
        );
        let error = Measure::parse("accuracy ").unwrap_err();
        assert!(error.contains("known: accuracy, entropy"), "{error}");
        assert_eq!(Measure::all().count(), 1 + MetricKind::ALL.len());
    }

    #[test]
    fn three_groups_get_summaries_an_omnibus_test_and_three_holm_adjusted_pairs() {
        let groups = [Variant::BioDRealC, Variant::WD, Variant::W];
        let values = [
            [0.91, 0.95, 0.97, 0.93],
            [0.71, 0.75, 0.70, 0.78],
            [0.50, 0.52, 0.49, 0.55],
        ];
        let models: Vec<MeasuredModel> = groups
            .iter()
            .zip(&values)
            .enumerate()
            .flat_map(|(g, (variant, row))| {
                row.iter()
                    .enumerate()
                    .map(move |(k, v)| model((10 * g + k) as i64, *variant, Some(*v)))
            })
            .collect();
        let result = compare(&[Measure::Accuracy], &groups, &models, 3);
        let accuracy = &result[0];
        let config = SummaryConfig::with_seed(3);
        for (summary, row) in accuracy.groups.iter().zip(&values) {
            assert_eq!(summary.summary, Some(summarize(row, &config).unwrap()));
        }
        let samples: Vec<&[f64]> = values.iter().map(|row| &row[..]).collect();
        assert_eq!(
            accuracy.kruskal_wallis,
            Some(kruskal_wallis(&samples).unwrap())
        );
        let pairs: Vec<(Variant, Variant)> = accuracy
            .pairwise
            .iter()
            .map(|pair| (pair.a, pair.b))
            .collect();
        assert_eq!(
            pairs,
            [
                (Variant::BioDRealC, Variant::WD),
                (Variant::BioDRealC, Variant::W),
                (Variant::WD, Variant::W)
            ]
        );
        let raw: Vec<f64> = [(0, 1), (0, 2), (1, 2)]
            .iter()
            .map(|&(i, j)| {
                mann_whitney_u(&values[i], &values[j], MannWhitneyMethod::Auto)
                    .unwrap()
                    .p_value
            })
            .collect();
        let adjusted = holm(&raw).unwrap();
        for (pair, p_holm) in accuracy.pairwise.iter().zip(adjusted) {
            assert_eq!(pair.p_holm, Some(p_holm));
            assert_eq!(pair.cliffs_delta, Some(1.0), "complete separation");
        }
    }

    #[test]
    fn undefined_statistics_are_null_with_reasons_never_nan() {
        // Every accuracy 1.0: summaries exist (SD 0), the rank tests are undefined.
        let groups = [Variant::BioDRealC, Variant::W];
        let models: Vec<MeasuredModel> = (0..4)
            .map(|k| model(k, groups[(k % 2) as usize], Some(1.0)))
            .chain([model(9, Variant::W, None)])
            .collect();
        let result = &compare(&[Measure::Accuracy], &groups, &models, 1)[0];
        assert_eq!(result.groups[0].summary.unwrap().sd, 0.0);
        assert_eq!(result.kruskal_wallis, None);
        let reason = result.kruskal_wallis_undefined.as_deref().unwrap();
        assert!(reason.contains("identical"), "{reason}");
        assert_eq!(result.pairwise[0].mann_whitney, None);
        assert_eq!(result.pairwise[0].p_holm, None);
        assert!(result.pairwise[0].undefined.is_some());
        let json = serde_json::to_string(result).unwrap();
        assert!(!json.contains("NaN") && !json.contains("nan"), "{json}");
        // What core says about it.
        assert!(matches!(
            kruskal_wallis(&[[1.0, 1.0], [1.0, 1.0]]),
            Err(StatsError::NoVariation { .. })
        ));
    }

    #[test]
    fn a_group_without_enough_values_has_no_summary_and_no_tests() {
        let groups = [Variant::BioDRealC, Variant::WD, Variant::W];
        let models = vec![
            model(1, Variant::BioDRealC, Some(0.9)),
            model(2, Variant::BioDRealC, Some(0.8)),
            model(3, Variant::WD, Some(0.7)),
            model(4, Variant::WD, Some(0.6)),
            model(5, Variant::W, Some(0.5)),
            model(6, Variant::W, None),
        ];
        let result = &compare(&[Measure::Accuracy], &groups, &models, 1)[0];
        assert!(result.groups[2].summary.is_none());
        assert!(
            result.groups[2]
                .undefined
                .as_deref()
                .unwrap()
                .contains("1 model(s) of W")
        );
        // One value still ranks: the tests that involve W exist.
        assert!(result.kruskal_wallis.is_some());
        assert!(result.pairwise.iter().all(|pair| pair.p_holm.is_some()));

        let none_for_w: Vec<MeasuredModel> = models
            .into_iter()
            .filter(|model| model.variant != Variant::W)
            .chain([model(7, Variant::W, None)])
            .collect();
        let result = &compare(&[Measure::Accuracy], &groups, &none_for_w, 1)[0];
        assert!(
            result.kruskal_wallis.is_some(),
            "two groups still have values"
        );
        let with_w: Vec<&PairwiseTest> = result
            .pairwise
            .iter()
            .filter(|pair| pair.b == Variant::W)
            .collect();
        assert_eq!(with_w.len(), 2);
        assert!(with_w.iter().all(|pair| pair.p_holm.is_none()
            && pair.undefined.as_deref() == Some("no model of W has a value for accuracy")));
    }
}
