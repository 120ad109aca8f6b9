//! A training run's history: one [`EpochRecord`] per epoch, as the trainer writes it to
//! `history.jsonl` and the server stores it beside the model.
//!
//! [`parse_history`] is the one reader: it refuses anything that is not exactly the run its
//! manifest describes (every number finite, epochs 1..E in order, E the manifest's
//! `outcome.epochs_run`, the last epoch's held-out accuracy the manifest's), so a stored
//! history always belongs to its model.

use serde::{Deserialize, Serialize};

use crate::manifest::ModelManifest;

/// One line of `history.jsonl`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpochRecord {
    /// 1-based.
    pub epoch: usize,
    /// Mean cross-entropy over the epoch's training batches (penalty not included), nats.
    pub train_loss: f64,
    /// Mean accuracy over the epoch's training batches (the study's reported quantity).
    pub train_accuracy: f64,
    /// Cross-entropy on the held-out validation trials after the epoch, nats.
    pub val_loss: f64,
    /// Accuracy on the held-out validation trials after the epoch.
    pub val_accuracy: f64,
    /// R(W_rec) after the epoch.
    pub regulariser: f64,
    /// Seconds since training started.
    pub wall_seconds: f64,
}

/// The most epochs a history may hold (the study trains 10; this bounds an upload's memory).
pub const MAX_EPOCHS: usize = 10_000;

/// The largest `history.jsonl` read, in bytes (a line is about 200 bytes).
pub const MAX_HISTORY_BYTES: usize = 4 * 1024 * 1024;

/// Why a history was refused.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum HistoryError {
    #[error("history.jsonl is {0} bytes; at most {MAX_HISTORY_BYTES} are read")]
    TooLarge(usize),
    #[error("history.jsonl line {line} is not an epoch record: {reason}")]
    Line { line: usize, reason: String },
    #[error("history.jsonl line {line}: `{field}` is {value}, not a finite number ≥ 0")]
    NotFinite {
        line: usize,
        field: &'static str,
        value: f64,
    },
    #[error("history.jsonl line {line}: accuracy `{field}` is {value}, outside [0, 1]")]
    Accuracy {
        line: usize,
        field: &'static str,
        value: f64,
    },
    #[error(
        "history.jsonl line {line} is epoch {found}; epochs must run 1, 2, … in order (expected {expected})"
    )]
    Order {
        line: usize,
        found: usize,
        expected: usize,
    },
    #[error("history.jsonl has {found} epochs but the manifest's run has {expected}")]
    Length { found: usize, expected: usize },
    #[error(
        "history.jsonl's last held-out accuracy is {found} but the manifest's outcome says {expected}"
    )]
    Outcome { found: f64, expected: f64 },
    #[error("the manifest has no training outcome, so there is no run for a history to describe")]
    NoOutcome,
}

/// Reads `history.jsonl` (one JSON record per line, blank lines ignored) and checks it against
/// `manifest` (see the module).
///
/// # Errors
/// The first [`HistoryError`] found.
pub fn parse_history(
    text: &str,
    manifest: &ModelManifest,
) -> Result<Vec<EpochRecord>, HistoryError> {
    if text.len() > MAX_HISTORY_BYTES {
        return Err(HistoryError::TooLarge(text.len()));
    }
    let outcome = manifest.outcome.as_ref().ok_or(HistoryError::NoOutcome)?;
    let mut records = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        if raw.trim().is_empty() {
            continue;
        }
        if records.len() == MAX_EPOCHS {
            return Err(HistoryError::Length {
                found: MAX_EPOCHS + 1,
                expected: outcome.epochs_run,
            });
        }
        let record: EpochRecord = serde_json::from_str(raw).map_err(|e| HistoryError::Line {
            line,
            reason: e.to_string(),
        })?;
        check_record(&record, line, records.len() + 1)?;
        records.push(record);
    }
    if records.len() != outcome.epochs_run {
        return Err(HistoryError::Length {
            found: records.len(),
            expected: outcome.epochs_run,
        });
    }
    if let Some(last) = records.last() {
        // The manifest stores the same f64 the history printed; allow only print rounding.
        if (last.val_accuracy - outcome.val_accuracy).abs() > 1e-9 {
            return Err(HistoryError::Outcome {
                found: last.val_accuracy,
                expected: outcome.val_accuracy,
            });
        }
    }
    Ok(records)
}

fn check_record(record: &EpochRecord, line: usize, expected: usize) -> Result<(), HistoryError> {
    if record.epoch != expected {
        return Err(HistoryError::Order {
            line,
            found: record.epoch,
            expected,
        });
    }
    for (field, value) in [
        ("train_loss", record.train_loss),
        ("val_loss", record.val_loss),
        ("regulariser", record.regulariser),
        ("wall_seconds", record.wall_seconds),
    ] {
        if !value.is_finite() || value < 0.0 {
            return Err(HistoryError::NotFinite { line, field, value });
        }
    }
    for (field, value) in [
        ("train_accuracy", record.train_accuracy),
        ("val_accuracy", record.val_accuracy),
    ] {
        if !(0.0..=1.0).contains(&value) {
            return Err(HistoryError::Accuracy { line, field, value });
        }
    }
    Ok(())
}

/// The JSONL text of `records` (what the trainer writes).
pub fn to_jsonl(records: &[EpochRecord]) -> String {
    records
        .iter()
        .map(|record| serde_json::to_string(record).expect("a record serialises") + "\n")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(epoch: usize, val_accuracy: f64) -> EpochRecord {
        EpochRecord {
            epoch,
            train_loss: 0.5,
            train_accuracy: 0.7,
            val_loss: 0.6,
            val_accuracy,
            regulariser: 1.5,
            wall_seconds: epoch as f64,
        }
    }

    fn manifest(epochs: usize, val_accuracy: f64) -> ModelManifest {
        let mut manifest = crate::manifest::tests::example();
        manifest.outcome = Some(crate::manifest::TrainingOutcome {
            val_accuracy,
            val_loss: 0.6,
            train_accuracy_last_epoch: 0.7,
            train_loss_last_epoch: 0.5,
            regulariser: 1.5,
            epochs_run: epochs,
            wall_seconds: epochs as f64,
        });
        manifest
    }

    #[test]
    fn a_written_history_reads_back() {
        let records = vec![record(1, 0.5), record(2, 0.875)];
        let text = to_jsonl(&records);
        assert_eq!(parse_history(&text, &manifest(2, 0.875)).unwrap(), records);
    }

    #[test]
    fn every_malformed_history_is_refused() {
        let good = manifest(2, 0.875);
        let cases: Vec<(String, &str)> = vec![
            ("not json\n".into(), "not an epoch record"),
            (to_jsonl(&[record(1, 0.875)]), "has 1 epochs"),
            (to_jsonl(&[record(2, 0.5), record(1, 0.875)]), "in order"),
            (to_jsonl(&[record(1, 0.5), record(2, 0.5)]), "outcome says"),
            (
                to_jsonl(&[record(1, 0.5), record(2, 0.875)]).replace("0.7", "1.7"),
                "outside [0, 1]",
            ),
            (
                to_jsonl(&[record(1, 0.5), record(2, 0.875)]).replacen(
                    "\"train_loss\":0.5",
                    "\"train_loss\":-1",
                    1,
                ),
                "finite number",
            ),
            (
                to_jsonl(&[record(1, 0.5), record(2, 0.875)]).replacen("}", ",\"extra\":1}", 1),
                "unknown field",
            ),
            (" ".repeat(MAX_HISTORY_BYTES + 1), "at most"),
        ];
        for (text, needle) in cases {
            let error = parse_history(&text, &good).unwrap_err().to_string();
            assert!(error.contains(needle), "`{needle}` not in: {error}");
        }
        let mut no_outcome = good.clone();
        no_outcome.outcome = None;
        assert_eq!(
            parse_history("", &no_outcome).unwrap_err(),
            HistoryError::NoOutcome
        );
    }
}
