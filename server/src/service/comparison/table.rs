//! A comparison as a table in the layout of the study's Table 2: one row per group (variant),
//! one column per measure, each cell `mean (low, high)` with the 95% Student-t interval of
//! the mean (the study's interval), rendered as CSV and as Markdown.
//!
//! Numbers have three decimals (`0.917 (0.890, 0.944)`), or three significant digits in
//! scientific notation when their magnitude is below 0.01 or at least 10⁵, so small and large
//! metrics keep their precision. A cell whose summary is undefined reads `n/a`; the JSON
//! result says why.

use blueprint_core::network::Variant;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::statistics::MeasureComparison;

/// The comparison's table, ready to paste.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "interval": "t",
    "csv": "variant,accuracy,entropy\nW*D*C,\"0.917 (0.890, 0.944)\",\"5.210 (5.100, 5.320)\"\nW,\"0.625 (0.610, 0.640)\",\"6.120 (6.050, 6.190)\"\n",
    "markdown": "| variant | accuracy | entropy |\n|---|---|---|\n| `W*D*C` | 0.917 (0.890, 0.944) | 5.210 (5.100, 5.320) |\n| `W` | 0.625 (0.610, 0.640) | 6.120 (6.050, 6.190) |\n"
}))]
pub struct Table {
    /// Which interval the cells show: `t`, the 95% Student-t interval of the mean.
    pub interval: String,
    /// Header `variant,<measure>,…`, then one row per group; cells quoted as RFC 4180 needs.
    pub csv: String,
    /// A GitHub-flavoured Markdown table of the same cells, variants in code spans.
    pub markdown: String,
}

/// Renders `comparisons` (one per measure, each listing `groups` in order) as a [`Table`].
pub fn render(groups: &[Variant], comparisons: &[MeasureComparison]) -> Table {
    let header: Vec<String> = std::iter::once("variant".to_owned())
        .chain(comparisons.iter().map(|c| c.measure.clone()))
        .collect();
    let rows: Vec<(Variant, Vec<String>)> = groups
        .iter()
        .enumerate()
        .map(|(index, group)| {
            let cells = comparisons
                .iter()
                .map(|comparison| {
                    match comparison
                        .groups
                        .get(index)
                        .and_then(|g| g.summary.as_ref())
                    {
                        Some(summary) => format!(
                            "{} ({}, {})",
                            number(summary.mean),
                            number(summary.t_interval.low),
                            number(summary.t_interval.high)
                        ),
                        None => "n/a".to_owned(),
                    }
                })
                .collect();
            (*group, cells)
        })
        .collect();

    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(&header)
        .expect("writing CSV to memory cannot fail");
    for (group, cells) in &rows {
        writer
            .write_record(std::iter::once(group.label()).chain(cells.iter().map(String::as_str)))
            .expect("writing CSV to memory cannot fail");
    }
    let csv = String::from_utf8(
        writer
            .into_inner()
            .expect("flushing CSV to memory cannot fail"),
    )
    .expect("the CSV is made of UTF-8 strings");

    let mut markdown = format!("| {} |\n", header.join(" | "));
    markdown.push_str(&format!("|{}\n", "---|".repeat(header.len())));
    for (group, cells) in &rows {
        // Code spans keep `*` and `!` of the labels literal.
        markdown.push_str(&format!(
            "| `{}` | {} |\n",
            group.label(),
            cells.join(" | ")
        ));
    }
    Table {
        interval: "t".to_owned(),
        csv,
        markdown,
    }
}

/// Three decimals, or three significant digits in scientific notation for magnitudes below
/// 0.01 or from 10⁵ (see the module).
fn number(value: f64) -> String {
    let magnitude = value.abs();
    if value == 0.0 || (0.01..1e5).contains(&magnitude) {
        format!("{value:.3}")
    } else {
        format!("{value:.2e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::comparison::statistics::GroupSummary;
    use blueprint_core::stats::{Interval, Summary};

    fn summary(mean: f64, low: f64, high: f64) -> Summary {
        Summary {
            n: 3,
            mean,
            sd: 0.1,
            confidence_level: 0.95,
            t_interval: Interval { low, high },
            bootstrap_interval: Interval { low, high },
            n_resamples: 10,
            seed: 1,
        }
    }

    #[test]
    fn cells_read_mean_low_high_with_variants_as_rows_and_measures_as_columns() {
        let groups = [Variant::BioDRealC, Variant::PermutedDRealC];
        let comparison = |measure: &str, cells: [Option<Summary>; 2]| MeasureComparison {
            measure: measure.to_owned(),
            groups: groups
                .iter()
                .zip(cells)
                .map(|(group, summary)| GroupSummary {
                    group: *group,
                    undefined: summary.is_none().then(|| "too few".to_owned()),
                    summary,
                })
                .collect(),
            kruskal_wallis: None,
            kruskal_wallis_undefined: None,
            pairwise: Vec::new(),
        };
        let table = render(
            &groups,
            &[
                comparison(
                    "accuracy",
                    [
                        Some(summary(0.9166, 0.89, 0.94449)),
                        Some(summary(0.5, 0.4, 0.6)),
                    ],
                ),
                comparison(
                    "wiring-cost",
                    [Some(summary(123456.0, 0.0, 0.001234)), None],
                ),
            ],
        );
        assert_eq!(
            table.csv,
            "variant,accuracy,wiring-cost\n\
             W*D*C,\"0.917 (0.890, 0.944)\",\"1.23e5 (0.000, 1.23e-3)\"\n\
             W!D*C,\"0.500 (0.400, 0.600)\",n/a\n"
        );
        assert_eq!(
            table.markdown,
            "| variant | accuracy | wiring-cost |\n\
             |---|---|---|\n\
             | `W*D*C` | 0.917 (0.890, 0.944) | 1.23e5 (0.000, 1.23e-3) |\n\
             | `W!D*C` | 0.500 (0.400, 0.600) | n/a |\n"
        );
        assert_eq!(table.interval, "t");
    }
}
