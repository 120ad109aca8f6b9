//! `blueprint-trainer dataset …`: the core dataset functions on the command line.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use anyhow::{Context, Result};
use ndarray::Array2;
use ndarray_npy::WriteNpyExt;

use blueprint_core::data::synthetic::{self, SyntheticConfig};
use blueprint_core::data::{Bundle, CorticalField, FunctionalSource};

use crate::train::write_atomically;

/// A field's summary, as `dataset describe` prints it.
pub fn describe(bundle_dir: &Path, field_key: &str) -> Result<String> {
    let bundle = Bundle::open(bundle_dir)?;
    let field = bundle.load_field(field_key)?;
    let n = field.n_neurons();
    let connections = field.n_connections();
    let distances = field.distances_um();
    let off_diagonal = distances
        .indexed_iter()
        .filter(|((i, j), _)| i != j)
        .map(|(_, &d)| d);
    let (min_d, max_d) = off_diagonal.fold((f64::INFINITY, 0.0f64), |(lo, hi), d| {
        (lo.min(d), hi.max(d))
    });
    let mut text = String::new();
    writeln!(text, "dataset      {}", field.dataset)?;
    writeln!(text, "field        {}", field.key)?;
    writeln!(text, "neurons      {n}")?;
    writeln!(
        text,
        "synapses     {} in {connections} directed connections (density {:.4})",
        field.synapses.sum(),
        connections as f64 / (n * (n - 1)).max(1) as f64
    )?;
    writeln!(text, "distances    {min_d:.1}–{max_d:.1} µm between somata")?;
    for (axis, name) in ["x", "y", "z"].iter().enumerate() {
        let column = field.positions_um.column(axis);
        let lo = column.fold(f64::INFINITY, |a, &b| a.min(b));
        let hi = column.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
        writeln!(
            text,
            "extent {name}     {lo:.1}–{hi:.1} µm ({:.1} µm)",
            hi - lo
        )?;
    }
    let functional = match &field.functional {
        None => "none (no matrices, no spikes: orthogonal-init variants only)".to_string(),
        Some(f) => {
            let source = match f.source {
                FunctionalSource::Shipped => "shipped",
                FunctionalSource::Derived => "derived from spikes",
            };
            let precision = if f.precision.is_some() {
                ", precision"
            } else {
                ""
            };
            format!("corr, sttc{precision} ({source})")
        }
    };
    writeln!(text, "functional   {functional}")?;
    if let Some(spikes) = &field.spikes {
        let seconds = f64::from(spikes.last_frame()) * spikes.frame_seconds;
        writeln!(
            text,
            "spikes       {} events over {seconds:.0} s ({:.3} events/s per neuron)",
            spikes.frames.len(),
            spikes.frames.len() as f64 / n as f64 / seconds.max(f64::MIN_POSITIVE)
        )?;
    }
    match field.study_grid_shape {
        Some([x, y, z]) => writeln!(text, "study grid   {x}×{y}×{z}")?,
        None => writeln!(text, "study grid   none")?,
    }
    Ok(text)
}

/// Writes a synthetic bundle.
pub fn synth(config: &SyntheticConfig, out: &Path) -> Result<()> {
    let field = synthetic::generate(config)?;
    field.write_bundle(out)?;
    Ok(())
}

/// Writes what a network is built from, in the field's row order.
pub fn export(bundle_dir: &Path, field_key: &str, out: &Path) -> Result<()> {
    let field = Bundle::open(bundle_dir)?.load_field(field_key)?;
    fs::create_dir_all(out).with_context(|| format!("could not create {}", out.display()))?;
    write_positions(&field, &out.join("positions_um.csv"))?;
    write_matrix(&out.join("synapses.npy"), &field.synapses)?;
    write_matrix(&out.join("distance_um.npy"), &field.distances_um())?;
    let functional = field.require_functional()?;
    write_matrix(&out.join("corr.npy"), &functional.corr)?;
    write_matrix(&out.join("sttc.npy"), &functional.sttc)?;
    if let Some(precision) = &functional.precision {
        write_matrix(&out.join("precision.npy"), precision)?;
    }
    Ok(())
}

fn write_positions(field: &CorticalField, path: &Path) -> Result<()> {
    let mut text = String::from("nucleus_id,x,y,z\n");
    for (row, nucleus_id) in field.nucleus_ids.iter().enumerate() {
        let p = field.positions_um.row(row);
        writeln!(text, "{nucleus_id},{},{},{}", p[0], p[1], p[2])?;
    }
    write_atomically(path, text.as_bytes())
}

fn write_matrix(path: &Path, matrix: &Array2<f64>) -> Result<()> {
    let mut bytes = Vec::new();
    matrix
        .write_npy(&mut bytes)
        .with_context(|| format!("could not encode {}", path.display()))?;
    write_atomically(path, &bytes)
}
