//! SVG figures with `plotters`: the one figure module that the study report (and the server's
//! figure endpoints) draw with.
//!
//! [`strip_plot`] draws one panel per task (or any grouping): categories along x (variants),
//! one colour per series (e.g. compat and corrected, side by side), every value as a point
//! (one per seed), and each group's mean with its 95% t-interval. [`line_plot`] draws curves
//! (learning curves: a measure per epoch).
//!
//! Text is laid out with DejaVu Sans, bundled in `core/assets` (its licence beside it), so no
//! system font is needed; the SVG names the family `sans-serif` and the viewer renders it.

use std::sync::Once;

use plotters::prelude::*;

use crate::stats::{mean, t_interval};

/// Why a figure could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum FigureError {
    #[error("drawing the figure: {0}")]
    Draw(String),
    #[error("the figure has nothing to draw: {0}")]
    Empty(&'static str),
}

fn draw_error<E: std::fmt::Debug>(error: E) -> FigureError {
    FigureError::Draw(format!("{error:?}"))
}

static FONT: Once = Once::new();

fn register_font() {
    FONT.call_once(|| {
        // The bundled font parses (a test draws a figure); failure would only lose text.
        let _ = plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            include_bytes!("../assets/DejaVuSans.ttf"),
        );
    });
}

/// The values of one category of one series, e.g. one variant's accuracies over seeds.
#[derive(Clone, Debug)]
pub struct Group {
    pub category: String,
    pub values: Vec<f64>,
}

/// One series: a colour in every panel.
#[derive(Clone, Debug)]
pub struct Series {
    pub name: String,
    pub groups: Vec<Group>,
}

/// One panel of a strip plot.
#[derive(Clone, Debug)]
pub struct Panel {
    pub title: String,
    pub series: Vec<Series>,
}

const PALETTE: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
];

/// A strip plot (see the module): `categories` fixes the x order; `y_label` carries the unit.
///
/// # Errors
/// [`FigureError::Empty`] without panels or categories; [`FigureError::Draw`] from plotters.
pub fn strip_plot(
    title: &str,
    y_label: &str,
    categories: &[String],
    panels: &[Panel],
) -> Result<String, FigureError> {
    if panels.is_empty() || categories.is_empty() {
        return Err(FigureError::Empty("no panel or no category"));
    }
    register_font();
    let values: Vec<f64> = panels
        .iter()
        .flat_map(|p| p.series.iter())
        .flat_map(|s| s.groups.iter())
        .flat_map(|g| g.values.iter().copied())
        .filter(|v| v.is_finite())
        .collect();
    if values.is_empty() {
        return Err(FigureError::Empty("no finite value"));
    }
    let (low, high) = values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
            (l.min(v), h.max(v))
        });
    let pad = ((high - low) * 0.08).max(1e-3);
    let y_range = (low - pad)..(high + pad);
    let width = (260 * panels.len() as u32 + 80).max(480);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let root = root.titled(title, ("sans-serif", 18)).map_err(draw_error)?;
        let areas = root.split_evenly((1, panels.len()));
        let n_series = panels
            .iter()
            .map(|p| p.series.len())
            .max()
            .unwrap_or(1)
            .max(1);
        for (area, panel) in areas.iter().zip(panels) {
            let mut chart = ChartBuilder::on(area)
                .caption(&panel.title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(70)
                .y_label_area_size(55)
                .build_cartesian_2d(-0.5f64..(categories.len() as f64 - 0.5), y_range.clone())
                .map_err(draw_error)?;
            let labels = categories.to_vec();
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(categories.len())
                .x_label_formatter(&|x| {
                    let index = x.round();
                    if (x - index).abs() < 1e-6 && index >= 0.0 {
                        labels.get(index as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .x_label_style(
                    ("sans-serif", 11)
                        .into_font()
                        .transform(FontTransform::Rotate90),
                )
                .y_desc(y_label)
                .draw()
                .map_err(draw_error)?;
            for (s, series) in panel.series.iter().enumerate() {
                let colour = PALETTE[s % PALETTE.len()];
                let offset = if n_series > 1 {
                    (s as f64 / (n_series - 1) as f64 - 0.5) * 0.4
                } else {
                    0.0
                };
                let mut labelled = false;
                for group in &series.groups {
                    let Some(x) = categories.iter().position(|c| *c == group.category) else {
                        continue;
                    };
                    let x = x as f64 + offset;
                    let finite: Vec<f64> = group
                        .values
                        .iter()
                        .copied()
                        .filter(|v| v.is_finite())
                        .collect();
                    chart
                        .draw_series(finite.iter().enumerate().map(|(k, &v)| {
                            // A small deterministic jitter separates equal values.
                            let jitter = ((k % 5) as f64 - 2.0) * 0.025;
                            Circle::new((x + jitter, v), 2, colour.mix(0.45).filled())
                        }))
                        .map_err(draw_error)?;
                    if let Ok(centre) = mean(&finite) {
                        if let Ok(interval) = t_interval(&finite, 0.95)
                            && interval.low.is_finite()
                            && interval.high.is_finite()
                        {
                            chart
                                .draw_series(std::iter::once(PathElement::new(
                                    vec![(x, interval.low), (x, interval.high)],
                                    colour.stroke_width(2),
                                )))
                                .map_err(draw_error)?;
                        }
                        let drawn = chart
                            .draw_series(std::iter::once(PathElement::new(
                                vec![(x - 0.09, centre), (x + 0.09, centre)],
                                colour.stroke_width(3),
                            )))
                            .map_err(draw_error)?;
                        // One legend entry per series, not one per group.
                        if !labelled {
                            labelled = true;
                            drawn.label(series.name.clone()).legend(move |(lx, ly)| {
                                Rectangle::new([(lx, ly - 4), (lx + 12, ly + 4)], colour.filled())
                            });
                        }
                    }
                }
            }
            if n_series > 1 {
                chart
                    .configure_series_labels()
                    .background_style(WHITE.mix(0.85))
                    .border_style(BLACK.mix(0.3))
                    .label_font(("sans-serif", 11))
                    .position(SeriesLabelPosition::LowerRight)
                    .draw()
                    .map_err(draw_error)?;
            }
        }
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// One curve of a line plot.
#[derive(Clone, Debug)]
pub struct Curve {
    pub name: String,
    /// (x, y) points, e.g. (epoch, accuracy).
    pub points: Vec<(f64, f64)>,
}

/// Curves over a shared x axis (see the module).
///
/// # Errors
/// [`FigureError::Empty`] without a finite point; [`FigureError::Draw`] from plotters.
pub fn line_plot(
    title: &str,
    x_label: &str,
    y_label: &str,
    curves: &[Curve],
) -> Result<String, FigureError> {
    let points: Vec<(f64, f64)> = curves
        .iter()
        .flat_map(|c| c.points.iter().copied())
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if points.is_empty() {
        return Err(FigureError::Empty("no finite point"));
    }
    register_font();
    let (x_low, x_high) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.0), h.max(p.0))
        });
    let (y_low, y_high) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.1), h.max(p.1))
        });
    let y_pad = ((y_high - y_low) * 0.08).max(1e-3);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d(
                x_low..x_high.max(x_low + 1.0),
                (y_low - y_pad)..(y_high + y_pad),
            )
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .draw()
            .map_err(draw_error)?;
        for (i, curve) in curves.iter().enumerate() {
            let colour = Palette99::pick(i).to_rgba();
            chart
                .draw_series(LineSeries::new(
                    curve.points.iter().copied(),
                    colour.stroke_width(2),
                ))
                .map_err(draw_error)?
                .label(curve.name.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], colour));
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 11))
            .position(SeriesLabelPosition::LowerRight)
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strip_plot_draws_every_point_its_intervals_and_its_labels() {
        let categories: Vec<String> = ["W*D*C", "W"].map(String::from).to_vec();
        let series = |name: &str, shift: f64| Series {
            name: name.into(),
            groups: vec![
                Group {
                    category: "W*D*C".into(),
                    values: vec![0.9 + shift, 0.92 + shift, 0.95 + shift],
                },
                Group {
                    category: "W".into(),
                    values: vec![0.5, 0.55],
                },
            ],
        };
        let panels = vec![Panel {
            title: "go-nogo".into(),
            series: vec![series("compat", 0.0), series("corrected", -0.3)],
        }];
        let svg = strip_plot(
            "Held-out accuracy",
            "accuracy (fraction)",
            &categories,
            &panels,
        )
        .unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(
            svg.contains("go-nogo") && svg.contains("W*D*C") && svg.contains("accuracy (fraction)")
        );
        // 2 series × (3 + 2) points.
        assert_eq!(svg.matches("<circle").count(), 10, "{svg}");
        assert!(svg.contains("compat") && svg.contains("corrected"));
        assert!(matches!(
            strip_plot("t", "y", &categories, &[]),
            Err(FigureError::Empty(_))
        ));
    }

    #[test]
    fn a_line_plot_draws_one_path_per_curve() {
        let curves = vec![
            Curve {
                name: "W*D*C".into(),
                points: vec![(1.0, 0.5), (2.0, 0.7), (3.0, 0.9)],
            },
            Curve {
                name: "W".into(),
                points: vec![(1.0, 0.5), (2.0, 0.5), (3.0, 0.6)],
            },
        ];
        let svg = line_plot("Learning curves", "epoch", "held-out accuracy", &curves).unwrap();
        assert!(svg.contains("<polyline"), "{svg}");
        assert!(svg.contains("epoch") && svg.contains("held-out accuracy"));
    }
}
