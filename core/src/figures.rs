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

use ndarray::ArrayView2;
use plotters::prelude::*;

use crate::metrics::MetricsConfig;
use crate::metrics::graph::binarise;
use crate::metrics::modularity::louvain_communities;
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
    // The axis holds every value and every drawn interval (a t-interval of 3 seeds can reach
    // past the data; it is drawn whole, never clipped).
    let interval_ends = panels
        .iter()
        .flat_map(|p| p.series.iter())
        .flat_map(|s| s.groups.iter())
        .filter_map(|g| {
            let finite: Vec<f64> = g.values.iter().copied().filter(|v| v.is_finite()).collect();
            t_interval(&finite, 0.95)
                .ok()
                .filter(|i| i.low.is_finite() && i.high.is_finite())
        })
        .flat_map(|i| [i.low, i.high]);
    let (low, high) = values
        .iter()
        .copied()
        .chain(interval_ends)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| {
            (l.min(v), h.max(v))
        });
    let pad = ((high - low) * 0.08).max(1e-3);
    let y_range = (low - pad)..(high + pad);
    // Category labels are horizontal (plotters' rotated SVG text lands inside the plot), so
    // each category gets room for a study label. Labels too long for it (a control arm's
    // name) are numbered on the axis and spelled out in a key under the panels.
    let panel_width = (48 * categories.len() as u32 + 80).max(260);
    let width = (panel_width * panels.len() as u32 + 80).max(480);
    let key = key_layout(categories, width);
    let axis_labels: Vec<String> = if key.is_some() {
        (1..=categories.len()).map(|i| i.to_string()).collect()
    } else {
        categories.to_vec()
    };
    let key_height = key.map_or(0, |k| k.height());
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 420 + key_height)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let (root, key_area) = root.split_vertically(420);
        if let Some(key) = key {
            for (i, category) in categories.iter().enumerate() {
                let (x, y) = key.position(i);
                key_area
                    .draw(&Text::new(
                        format!("{}: {category}", i + 1),
                        (x, y),
                        ("sans-serif", 11).into_font(),
                    ))
                    .map_err(draw_error)?;
            }
        }
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
                .x_label_area_size(30)
                .y_label_area_size(55)
                .build_cartesian_2d(-0.5f64..(categories.len() as f64 - 0.5), y_range.clone())
                .map_err(draw_error)?;
            let labels = axis_labels.clone();
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(categories.len())
                .x_label_formatter(&|x| category_label(&labels, *x))
                .x_label_style(("sans-serif", 10))
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

/// Room for one category label under its column at the 10-px label font (pixels).
const LABEL_ROOM: f64 = 46.0;

/// A label's approximate width at `size` px in DejaVu Sans (about 0.55 em a character).
fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.56
}

/// Where a strip plot's key puts its entries: rows of equal columns under the panels.
#[derive(Clone, Copy, Debug)]
struct KeyLayout {
    column: f64,
    per_row: usize,
    rows: usize,
}

impl KeyLayout {
    fn height(self) -> u32 {
        self.rows as u32 * 16 + 10
    }

    /// The top-left corner of entry `i` in the key's area.
    fn position(self, i: usize) -> (i32, i32) {
        let (row, column) = (i / self.per_row, i % self.per_row);
        (
            (55.0 + column as f64 * self.column) as i32,
            (2 + row * 16) as i32,
        )
    }
}

/// The key of a strip plot whose category labels do not fit under their columns (None when
/// they all fit): entries `k: label`, as many to a row as `width` holds.
fn key_layout(categories: &[String], width: u32) -> Option<KeyLayout> {
    if categories.iter().all(|c| text_width(c, 10.0) <= LABEL_ROOM) {
        return None;
    }
    let column = categories
        .iter()
        .enumerate()
        .map(|(i, c)| text_width(&format!("{}: {c}", i + 1), 11.0))
        .fold(0.0, f64::max)
        + 24.0;
    let per_row = ((f64::from(width) - 70.0) / column).floor().max(1.0) as usize;
    Some(KeyLayout {
        column,
        per_row,
        rows: categories.len().div_ceil(per_row),
    })
}

/// The label of the category at integer position `x` (none between categories).
fn category_label(labels: &[String], x: f64) -> String {
    let index = x.round();
    if (x - index).abs() < 1e-6 && index >= 0.0 {
        labels.get(index as usize).cloned().unwrap_or_default()
    } else {
        String::new()
    }
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
                .map_err(draw_error)?;
            // Every point carries a marker whose shape cycles with the curve, so curves that
            // coincide (several groups at accuracy 1.0) stay apart; the legend shows both.
            let points = curve.points.iter().copied();
            let line = move |(x, y): (i32, i32)| {
                EmptyElement::at((x, y)) + PathElement::new(vec![(-7, 0), (7, 0)], colour)
            };
            let series = match i % 4 {
                0 => chart
                    .draw_series(points.map(|p| Circle::new(p, 4, colour.stroke_width(2))))
                    .map_err(draw_error)?
                    .legend(move |p| line(p) + Circle::new((0, 0), 4, colour.stroke_width(2))),
                1 => chart
                    .draw_series(points.map(|p| TriangleMarker::new(p, 5, colour.filled())))
                    .map_err(draw_error)?
                    .legend(move |p| line(p) + TriangleMarker::new((0, 0), 5, colour.filled())),
                2 => chart
                    .draw_series(points.map(|p| Cross::new(p, 4, colour.stroke_width(2))))
                    .map_err(draw_error)?
                    .legend(move |p| line(p) + Cross::new((0, 0), 4, colour.stroke_width(2))),
                _ => chart
                    .draw_series(points.map(|p| {
                        EmptyElement::at(p) + Rectangle::new([(-3, -3), (3, 3)], colour.filled())
                    }))
                    .map_err(draw_error)?
                    .legend(move |p| line(p) + Rectangle::new([(-3, -3), (3, 3)], colour.filled())),
            };
            series.label(curve.name.clone());
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 11))
            .position(emptiest_corner(
                &points,
                (x_low, x_high.max(x_low + 1.0)),
                (y_low - y_pad, y_high + y_pad),
            ))
            .draw()
            .map_err(draw_error)?;
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// The corner of the plot whose quarter holds the fewest points (the lower right on a tie), so
/// the legend covers as little data as it can.
fn emptiest_corner(
    points: &[(f64, f64)],
    (x_low, x_high): (f64, f64),
    (y_low, y_high): (f64, f64),
) -> SeriesLabelPosition {
    let x_mid = (x_low + x_high) / 2.0;
    let y_mid = (y_low + y_high) / 2.0;
    let count = |right: bool, upper: bool| {
        points
            .iter()
            .filter(|(x, y)| (*x >= x_mid) == right && (*y >= y_mid) == upper)
            .count()
    };
    [
        (SeriesLabelPosition::LowerRight, count(true, false)),
        (SeriesLabelPosition::UpperRight, count(true, true)),
        (SeriesLabelPosition::LowerLeft, count(false, false)),
        (SeriesLabelPosition::UpperLeft, count(false, true)),
    ]
    .into_iter()
    .min_by_key(|(_, n)| *n)
    .map_or(SeriesLabelPosition::LowerRight, |(corner, _)| corner)
}

/// Figures drawn by this module stacked top to bottom in one SVG (each keeps its own size;
/// the result is as wide as the widest). A part that is not an `<svg …>` element is skipped.
pub fn stack_vertically(parts: &[String]) -> String {
    let size = |svg: &str, attribute: &str| -> Option<u32> {
        let head = &svg[..svg.find('>')?];
        let start = head.find(&format!(" {attribute}=\""))? + attribute.len() + 3;
        head[start..].split('"').next()?.parse().ok()
    };
    let mut body = String::new();
    let (mut width, mut height) = (0, 0);
    for part in parts {
        let (Some(w), Some(h)) = (size(part, "width"), size(part, "height")) else {
            continue;
        };
        let Some(rest) = part.trim_start().strip_prefix("<svg") else {
            continue;
        };
        body.push_str(&format!("<svg y=\"{height}\"{rest}\n"));
        width = width.max(w);
        height += h;
    }
    format!(
        "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" \
         xmlns=\"http://www.w3.org/2000/svg\">\n{body}</svg>\n"
    )
}

/// One bar of an [`interval_plot`]: a proportion with its interval and, when given, the
/// trials behind it (written above the bar as `n=…`).
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub n: Option<u64>,
}

/// Bars with interval whiskers over fixed y limits, e.g. per-condition accuracy with Wilson
/// intervals; `reference` draws a dashed horizontal line (chance).
///
/// # Errors
/// [`FigureError::Empty`] without a finite bar; [`FigureError::Draw`] from plotters.
pub fn interval_plot(
    title: &str,
    y_label: &str,
    bars: &[Bar],
    y_limits: (f64, f64),
    reference: Option<(f64, &str)>,
) -> Result<String, FigureError> {
    if !bars.iter().any(|bar| bar.value.is_finite()) {
        return Err(FigureError::Empty("no finite bar"));
    }
    register_font();
    let labels: Vec<String> = bars.iter().map(|bar| bar.label.clone()).collect();
    // Horizontal labels (see `strip_plot`), each under its bar.
    let width = (110 * bars.len() as u32 + 160).clamp(480, 2000);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, 420)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(30)
            .y_label_area_size(55)
            .build_cartesian_2d(-0.5f64..(bars.len() as f64 - 0.5), y_limits.0..y_limits.1)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(bars.len())
            .x_label_formatter(&|x| category_label(&labels, *x))
            .x_label_style(("sans-serif", 10))
            .y_desc(y_label)
            .draw()
            .map_err(draw_error)?;
        let colour = PALETTE[0];
        for (i, bar) in bars.iter().enumerate() {
            if !bar.value.is_finite() {
                continue;
            }
            let x = i as f64;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.35, y_limits.0), (x + 0.35, bar.value)],
                    colour.mix(0.55).filled(),
                )))
                .map_err(draw_error)?;
            if bar.low.is_finite() && bar.high.is_finite() {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x, bar.low), (x, bar.high)],
                        BLACK.stroke_width(2),
                    )))
                    .map_err(draw_error)?;
            }
            if let Some(n) = bar.n {
                let span = y_limits.1 - y_limits.0;
                let at = (bar.value + 0.02 * span).min(y_limits.1 - 0.04 * span);
                chart
                    .draw_series(std::iter::once(Text::new(
                        format!("n={n}"),
                        (x - 0.2, at),
                        ("sans-serif", 10).into_font(),
                    )))
                    .map_err(draw_error)?;
            }
        }
        if let Some((level, name)) = reference {
            chart
                .draw_series(DashedLineSeries::new(
                    vec![(-0.5, level), (bars.len() as f64 - 0.5, level)],
                    6,
                    4,
                    BLACK.mix(0.6).stroke_width(1),
                ))
                .map_err(draw_error)?
                .label(name)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], BLACK.mix(0.6)));
            chart
                .configure_series_labels()
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK.mix(0.3))
                .label_font(("sans-serif", 11))
                .position(SeriesLabelPosition::LowerRight)
                .draw()
                .map_err(draw_error)?;
        }
        root.present().map_err(draw_error)?;
    }
    Ok(svg)
}

/// One measured point of a psychometric curve: a proportion at `x` with its interval.
#[derive(Clone, Copy, Debug)]
pub struct ProportionPoint {
    pub x: f64,
    pub p: f64,
    pub low: f64,
    pub high: f64,
}

/// A psychometric curve: measured proportions with interval whiskers and, when given, the
/// fitted function drawn through them (`fit`: points of the curve, e.g. 200 of them).
///
/// # Errors
/// [`FigureError::Empty`] without a finite point; [`FigureError::Draw`] from plotters.
pub fn psychometric_plot(
    title: &str,
    x_label: &str,
    y_label: &str,
    points: &[ProportionPoint],
    fit: Option<(&str, &[(f64, f64)])>,
) -> Result<String, FigureError> {
    let finite: Vec<ProportionPoint> = points
        .iter()
        .copied()
        .filter(|p| p.x.is_finite() && p.p.is_finite())
        .collect();
    if finite.is_empty() {
        return Err(FigureError::Empty("no finite point"));
    }
    register_font();
    let (x_low, x_high) = finite
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| {
            (l.min(p.x), h.max(p.x))
        });
    let x_pad = ((x_high - x_low) * 0.05).max(1.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(40)
            .y_label_area_size(55)
            .build_cartesian_2d((x_low - x_pad)..(x_high + x_pad), -0.02f64..1.02)
            .map_err(draw_error)?;
        chart
            .configure_mesh()
            .x_desc(x_label)
            .y_desc(y_label)
            .draw()
            .map_err(draw_error)?;
        let colour = PALETTE[0];
        if let Some((name, curve)) = fit {
            chart
                .draw_series(LineSeries::new(
                    curve
                        .iter()
                        .copied()
                        .filter(|(x, y)| x.is_finite() && y.is_finite()),
                    PALETTE[1].stroke_width(2),
                ))
                .map_err(draw_error)?
                .label(name)
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], PALETTE[1]));
        }
        chart
            .draw_series(
                finite
                    .iter()
                    .filter(|p| p.low.is_finite() && p.high.is_finite())
                    .map(|p| {
                        PathElement::new(vec![(p.x, p.low), (p.x, p.high)], colour.stroke_width(2))
                    }),
            )
            .map_err(draw_error)?;
        chart
            .draw_series(
                finite
                    .iter()
                    .map(|p| Circle::new((p.x, p.p), 4, colour.filled())),
            )
            .map_err(draw_error)?
            .label("measured (95% Wilson interval)")
            .legend(move |(x, y)| Circle::new((x + 7, y), 4, colour.filled()));
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

/// The largest matrix [`heatmap`] draws (one pixel per entry).
pub const MAX_HEATMAP_SIZE: usize = 4096;

/// A square matrix as a heatmap: one pixel per entry, embedded in the SVG as a lossless PNG
/// (so a 2,048-unit network is one small image, not four million rectangles), on a diverging
/// blue–white–red scale centred on 0 and symmetric at ±`limit` (entries beyond are clipped).
/// `boundaries` are positions along the (already ordered) axes where a block ends, e.g. the
/// communities of a partition, drawn as thin lines. Rows are drawn top to bottom.
///
/// # Errors
/// [`FigureError::Empty`] for an empty matrix, a length that is not `n²`, a matrix larger
/// than [`MAX_HEATMAP_SIZE`], or a limit that is not finite and positive.
pub fn heatmap(
    title: &str,
    n: usize,
    values: &[f64],
    limit: f64,
    boundaries: &[usize],
    colour_label: &str,
) -> Result<String, FigureError> {
    if n == 0 || values.len() != n * n || n > MAX_HEATMAP_SIZE {
        return Err(FigureError::Empty(
            "not a non-empty square matrix within the size limit",
        ));
    }
    if !(limit.is_finite() && limit > 0.0) {
        return Err(FigureError::Empty("no finite positive colour limit"));
    }
    let mut pixels = Vec::with_capacity(n * n * 3);
    for &value in values {
        pixels.extend_from_slice(&diverging(value / limit));
    }
    let png = encode_png(n, n, &pixels).map_err(|e| FigureError::Draw(e.to_string()))?;
    let data = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(&png)
    };
    let (left, top, side) = (70.0, 50.0, 480.0);
    let scale = side / n as f64;
    // A long title shrinks to fit the 720-pixel width (about 0.56 em per character).
    let title_size = (1250.0 / title.chars().count().max(1) as f64).clamp(9.0, 16.0);
    let mut svg = String::new();
    use std::fmt::Write as _;
    let _ = write!(
        svg,
        r##"<svg width="720" height="600" viewBox="0 0 720 600" xmlns="http://www.w3.org/2000/svg">
<rect x="0" y="0" width="720" height="600" fill="#FFFFFF"/>
<text x="360" y="28" text-anchor="middle" font-family="sans-serif" font-size="{title_size:.1}">{}</text>
<image x="{left}" y="{top}" width="{side}" height="{side}" preserveAspectRatio="none" style="image-rendering:pixelated" href="data:image/png;base64,{data}"/>
<rect x="{left}" y="{top}" width="{side}" height="{side}" fill="none" stroke="#000000" stroke-width="1"/>
"##,
        escape_xml(title)
    );
    for &boundary in boundaries.iter().filter(|&&b| b > 0 && b < n) {
        let at = boundary as f64 * scale;
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#000000" stroke-opacity="0.5" stroke-width="0.75"/><line x1="{x}" y1="{top}" x2="{x}" y2="{y2}" stroke="#000000" stroke-opacity="0.5" stroke-width="0.75"/>"##,
            y = top + at,
            x2 = left + side,
            x = left + at,
            y2 = top + side,
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" text-anchor="middle" font-family="sans-serif" font-size="12">presynaptic unit j (ordered)</text>"#,
        left + side / 2.0,
        top + side + 24.0
    );
    let _ = writeln!(
        svg,
        r#"<text x="{x}" y="{y}" text-anchor="middle" font-family="sans-serif" font-size="12" transform="rotate(-90 {x} {y})">postsynaptic unit i (ordered)</text>"#,
        x = left - 18.0,
        y = top + side / 2.0
    );
    // The colour bar: 11 stops from -limit to +limit, top = +limit.
    let (bar_x, bar_width) = (left + side + 40.0, 18.0);
    let _ = writeln!(
        svg,
        r#"<defs><linearGradient id="diverging" x1="0" y1="1" x2="0" y2="0">"#
    );
    for stop in 0..=10 {
        let t = stop as f64 / 10.0;
        let [r, g, b] = diverging(2.0 * t - 1.0);
        let _ = writeln!(svg, r#"<stop offset="{t}" stop-color="rgb({r},{g},{b})"/>"#);
    }
    let _ = writeln!(svg, "</linearGradient></defs>");
    let _ = writeln!(
        svg,
        r##"<rect x="{bar_x}" y="{top}" width="{bar_width}" height="{side}" fill="url(#diverging)" stroke="#000000" stroke-width="0.5"/>"##
    );
    for (fraction, value) in [(0.0, limit), (0.5, 0.0), (1.0, -limit)] {
        let _ = writeln!(
            svg,
            r#"<text x="{}" y="{}" font-family="sans-serif" font-size="11">{}</text>"#,
            bar_x + bar_width + 6.0,
            top + fraction * side + 4.0,
            format_tick(value)
        );
    }
    let _ = writeln!(
        svg,
        r#"<text x="{x}" y="{y}" text-anchor="middle" font-family="sans-serif" font-size="12" transform="rotate(-90 {x} {y})">{}</text>"#,
        escape_xml(colour_label),
        x = bar_x + bar_width + 70.0,
        y = top + side / 2.0
    );
    svg.push_str("</svg>\n");
    Ok(svg)
}

/// Louvain restarts for ordering a heatmap (the ordering only has to be good, not optimal).
const ORDERING_RESTARTS: usize = 4;

/// `W_rec` as a [`heatmap`], rows and columns ordered by the Louvain communities of the
/// study's binarised graph (largest community first), community boundaries drawn, the colour
/// scale symmetric at the 99th percentile of |w| (the diagonal of a bio init would otherwise
/// wash out everything else). The title is `name` and the ordering used.
///
/// # Errors
/// As [`heatmap`].
pub fn weight_heatmap(name: &str, w: ArrayView2<f64>) -> Result<String, FigureError> {
    let n = w.nrows();
    let quantile = MetricsConfig::study().threshold_quantile;
    let (order, boundaries, ordering) = match binarise(w, quantile)
        .ok()
        .and_then(|b| louvain_communities(&b.graph, ORDERING_RESTARTS, 0).ok())
    {
        Some(communities) => {
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by_key(|&i| (communities.membership[i], i));
            let boundaries = (1..n)
                .filter(|&k| {
                    communities.membership[order[k]] != communities.membership[order[k - 1]]
                })
                .collect();
            let label = format!(
                "ordered by {} Louvain communities (Q = {:.3})",
                communities.n_communities, communities.modularity
            );
            (order, boundaries, label)
        }
        None => (
            (0..n).collect(),
            Vec::new(),
            "unit order (no graph to partition)".to_owned(),
        ),
    };
    let values: Vec<f64> = order
        .iter()
        .flat_map(|&i| order.iter().map(move |&j| (i, j)))
        .map(|(i, j)| w[[i, j]])
        .collect();
    let mut magnitudes: Vec<f64> = values.iter().map(|v| v.abs()).collect();
    magnitudes.sort_by(f64::total_cmp);
    let p99 = magnitudes
        .get(((magnitudes.len().max(1) - 1) as f64 * 0.99).round() as usize)
        .copied()
        .unwrap_or(0.0);
    let limit = if p99 > 0.0 {
        p99
    } else {
        magnitudes
            .last()
            .copied()
            .filter(|&m| m > 0.0)
            .unwrap_or(1.0)
    };
    heatmap(
        &format!("{name}: W_rec, {ordering}"),
        n,
        &values,
        limit,
        &boundaries,
        "weight (clipped at the 99th percentile of |w|)",
    )
}

fn format_tick(value: f64) -> String {
    if value == 0.0 {
        "0".into()
    } else if value.abs() >= 0.01 && value.abs() < 1000.0 {
        format!("{value:+.3}")
    } else {
        format!("{value:+.2e}")
    }
}

/// The blue–white–red colour of `t ∈ [-1, 1]` (clipped): white at 0, (33, 102, 172) at −1,
/// (178, 24, 43) at +1 (ColorBrewer RdBu's ends).
fn diverging(t: f64) -> [u8; 3] {
    let t = if t.is_nan() { 0.0 } else { t.clamp(-1.0, 1.0) };
    let end = if t < 0.0 {
        [33.0, 102.0, 172.0]
    } else {
        [178.0, 24.0, 43.0]
    };
    let a = t.abs();
    let mix = |e: f64| (255.0 + (e - 255.0) * a).round() as u8;
    [mix(end[0]), mix(end[1]), mix(end[2])]
}

/// Escapes text for an SVG text node or attribute.
pub fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An 8-bit RGB PNG (ISO/IEC 15948): signature, IHDR, one zlib IDAT of filter-0 rows, IEND.
fn encode_png(width: usize, height: usize, rgb: &[u8]) -> std::io::Result<Vec<u8>> {
    use std::io::Write as _;
    let mut raw = Vec::with_capacity(height * (width * 3 + 1));
    for row in rgb.chunks(width * 3) {
        raw.push(0);
        raw.extend_from_slice(row);
    }
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&raw)?;
    let compressed = encoder.finish()?;
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::with_capacity(13);
    header.extend_from_slice(&(width as u32).to_be_bytes());
    header.extend_from_slice(&(height as u32).to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, filter 0, no interlace
    for (kind, data) in [
        (b"IHDR", &header[..]),
        (b"IDAT", &compressed[..]),
        (b"IEND", &[][..]),
    ] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    Ok(png)
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
        // Short labels sit under their columns: no key.
        assert!(!svg.contains("1: W*D*C"), "{svg}");
    }

    #[test]
    fn labels_too_long_for_their_columns_are_numbered_and_spelled_out_in_a_key() {
        let categories: Vec<String> = [
            "WD*C [D* rank-matched]",
            "WD*C [D* scale-matched]",
            "W*D*C [W* from the connectome]",
        ]
        .map(String::from)
        .to_vec();
        let panel = |title: &str| Panel {
            title: title.into(),
            series: vec![Series {
                name: "corrected".into(),
                groups: categories
                    .iter()
                    .map(|c| Group {
                        category: c.clone(),
                        values: vec![0.5, 0.6, 0.7],
                    })
                    .collect(),
            }],
        };
        let svg = strip_plot(
            "t",
            "y",
            &categories,
            &[panel("go-nogo"), panel("perceptual-dm")],
        )
        .unwrap();
        // Each long name once, in the key (not under each panel's columns); numbers on the
        // axes instead.
        for (i, category) in categories.iter().enumerate() {
            let entry = format!("{}: {category}", i + 1);
            assert_eq!(svg.matches(&entry).count(), 1, "{entry}\n{svg}");
            assert_eq!(svg.matches(category.as_str()).count(), 1, "{category}");
        }
        // The key sits below the 420-px plot.
        let height: u32 = svg
            .split("height=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|h| h.parse().ok())
            .unwrap();
        assert!(height > 420, "{height}");
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
        // A marker on every point, its shape by curve (circles for the first, triangles for
        // the second), and one of each in the legend.
        assert_eq!(svg.matches("<circle").count(), 3 + 1, "{svg}");
        assert_eq!(svg.matches("<polygon").count(), 3 + 1, "{svg}");
        // The legend goes where the data is not: curves that end high on the right leave the
        // lower right free; curves that end low leave the upper right free.
        let corner = |points: &[(f64, f64)]| {
            format!("{:?}", emptiest_corner(points, (0.0, 10.0), (0.0, 1.0)))
        };
        assert_eq!(corner(&[(1.0, 0.5), (9.0, 1.0), (9.5, 0.9)]), "LowerRight");
        assert_eq!(
            corner(&[(1.0, 0.5), (9.0, 0.1), (9.5, 0.2), (2.0, 0.1)]),
            "UpperRight"
        );
        let svg_polylines = svg.matches("<polyline").count();
        assert!(svg.contains("epoch") && svg.contains("held-out accuracy"));
        let stacked = stack_vertically(&[svg.clone(), svg]);
        assert!(
            stacked.starts_with("<svg width=\"720\" height=\"840\""),
            "{}",
            &stacked[..200]
        );
        assert!(stacked.contains("<svg y=\"420\" "));
        assert_eq!(
            stacked.matches("<polyline").count(),
            2 * svg_polylines,
            "both figures, whole"
        );
    }

    #[test]
    fn interval_and_psychometric_plots_draw_every_bar_and_point() {
        let bars: Vec<Bar> = ["go", "no-go"]
            .iter()
            .map(|label| Bar {
                label: (*label).into(),
                value: 0.8,
                low: 0.7,
                high: 0.9,
                n: Some(40),
            })
            .collect();
        let svg = interval_plot(
            "Accuracy",
            "accuracy",
            &bars,
            (0.0, 1.0),
            Some((0.5, "chance")),
        )
        .unwrap();
        assert!(svg.contains("no-go") && svg.contains("chance") && svg.contains("n=40"));
        let points = [-10.0, 0.0, 10.0].map(|x| ProportionPoint {
            x,
            p: 0.5 + x / 40.0,
            low: 0.4 + x / 40.0,
            high: 0.6 + x / 40.0,
        });
        let curve: Vec<(f64, f64)> = (0..=20).map(|i| (i as f64 - 10.0, 0.5)).collect();
        let svg = psychometric_plot(
            "P(right)",
            "signed coherence (%)",
            "P(choose right)",
            &points,
            Some(("logistic fit", &curve)),
        )
        .unwrap();
        // 3 measured points plus the legend's marker.
        assert_eq!(svg.matches("<circle").count(), 4, "{svg}");
        assert!(svg.contains("signed coherence (%)") && svg.contains("logistic fit"));
    }

    #[test]
    fn a_heatmap_embeds_a_valid_png_of_the_matrix() {
        use base64::Engine as _;
        let n = 3;
        let values = [1.0, 0.0, -1.0, 0.5, 0.0, -0.5, 2.0, -2.0, 0.0];
        let svg = heatmap("W_rec <&>", n, &values, 1.0, &[1], "weight").unwrap();
        assert!(svg.contains("W_rec &lt;&amp;&gt;"), "{svg}");
        let start = svg.find("base64,").unwrap() + 7;
        let end = start + svg[start..].find('"').unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(&svg[start..end])
            .unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        // Decode the IDAT back to the pixels: red at +1 (and clipped +2), white at 0, blue at -1.
        let idat = png.windows(4).position(|w| w == b"IDAT").unwrap();
        let length = u32::from_be_bytes(png[idat - 4..idat].try_into().unwrap()) as usize;
        let mut raw = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::ZlibDecoder::new(&png[idat + 4..idat + 4 + length]),
            &mut raw,
        )
        .unwrap();
        assert_eq!(raw.len(), n * (3 * n + 1));
        let pixel = |i: usize, j: usize| &raw[i * (3 * n + 1) + 1 + 3 * j..][..3];
        assert_eq!(pixel(0, 0), [178, 24, 43]);
        assert_eq!(pixel(0, 1), [255, 255, 255]);
        assert_eq!(pixel(0, 2), [33, 102, 172]);
        assert_eq!(pixel(2, 0), [178, 24, 43]);
        assert!(heatmap("t", 2, &values, 1.0, &[], "w").is_err());
        assert!(heatmap("t", n, &values, f64::NAN, &[], "w").is_err());
        // A long title shrinks to fit the width; a short one keeps the full size.
        assert!(svg.contains(r#"font-size="16.0">W_rec"#), "{svg}");
        let long = "x".repeat(125);
        let svg = heatmap(&long, n, &values, 1.0, &[], "w").unwrap();
        assert!(
            svg.contains(&format!(r#"font-size="10.0">{long}"#)),
            "{svg}"
        );
    }

    #[test]
    fn a_weight_heatmap_orders_units_by_their_communities() {
        // Two planted 4-cliques, interleaved in unit order, among 12 isolated units: the
        // binarised graph keeps exactly the cliques, whose modularity is 1 − 2·(1/2)² = 0.5.
        let n = 20;
        let block = |i: usize| {
            [0, 5, 10, 15].contains(&i) as usize + 2 * [1, 6, 11, 16].contains(&i) as usize
        };
        let w = ndarray::Array2::from_shape_fn((n, n), |(i, j)| {
            if i != j && block(i) > 0 && block(i) == block(j) {
                1.0
            } else {
                0.0
            }
        });
        let svg = weight_heatmap("planted", w.view()).unwrap();
        assert!(svg.contains("planted: W_rec, ordered by "), "{svg}");
        assert!(svg.contains("Louvain communities (Q = 0.500)"), "{svg}");
        assert!(
            svg.contains("<line"),
            "community boundaries are drawn: {svg}"
        );
    }
}
