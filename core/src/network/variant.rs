//! The study's eleven network variants, by label and as three factors.
//!
//! A label reads as init · distance · communicability: `W` orthogonal init, `W*` bio init,
//! `W!` permuted bio init; `D` grid distance, `D*` real distance; `C` communicability computed
//! from the network's own weights, `C*` the same plus an EMD term pulling its distribution
//! towards the field's empirical communicability.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How the recurrent matrix is initialised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum InitKind {
    /// Random orthogonal (gain 1).
    Orthogonal,
    /// `W*`: LogNormal ⊙ minmax(corr) ⊙ minmax(STTC), see [`super::init::bio`].
    Bio,
    /// `W!`: `P·W*·Pᵀ`, a relabelling that keeps the graph but loses its alignment with space.
    PermutedBio,
}

/// Which distance matrix weights the L1 penalty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DistanceKind {
    /// Plain L1.
    None,
    /// `D`: an integer lattice.
    Grid,
    /// `D*`: the real soma positions.
    Real,
}

/// Which communicability term the penalty carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CommunicabilityKind {
    None,
    /// `C`: λ‖W ⊙ D ⊙ C(W)‖.
    Direct,
    /// `C*`: λ‖W ⊙ D‖ + λ_EMD · EMD(C(W), C_emp).
    EmpiricalEmd,
}

/// The eleven variants of the study. One list for the CLI, the API and the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Variant {
    #[serde(rename = "W")]
    #[cfg_attr(feature = "clap", value(name = "W"))]
    W,
    #[serde(rename = "WD")]
    #[cfg_attr(feature = "clap", value(name = "WD"))]
    WD,
    #[serde(rename = "WD*", alias = "WDstar", alias = "WDs")]
    #[cfg_attr(feature = "clap", value(name = "WD*", alias = "WDstar", alias = "WDs"))]
    WDReal,
    #[serde(rename = "WDC")]
    #[cfg_attr(feature = "clap", value(name = "WDC"))]
    WDC,
    #[serde(rename = "WD*C", alias = "WDstarC", alias = "WDsC")]
    #[cfg_attr(
        feature = "clap",
        value(name = "WD*C", alias = "WDstarC", alias = "WDsC")
    )]
    WDRealC,
    #[serde(rename = "W*D*C", alias = "WstarDstarC", alias = "WsDsC")]
    #[cfg_attr(
        feature = "clap",
        value(name = "W*D*C", alias = "WstarDstarC", alias = "WsDsC")
    )]
    BioDRealC,
    #[serde(rename = "W*D*C*", alias = "WstarDstarCstar", alias = "WsDsCs")]
    #[cfg_attr(
        feature = "clap",
        value(name = "W*D*C*", alias = "WstarDstarCstar", alias = "WsDsCs")
    )]
    BioDRealCEmd,
    #[serde(rename = "WD*C*", alias = "WDstarCstar", alias = "WDsCs")]
    #[cfg_attr(
        feature = "clap",
        value(name = "WD*C*", alias = "WDstarCstar", alias = "WDsCs")
    )]
    WDRealCEmd,
    #[serde(rename = "W*DC*", alias = "WstarDCstar", alias = "WsDCs")]
    #[cfg_attr(
        feature = "clap",
        value(name = "W*DC*", alias = "WstarDCstar", alias = "WsDCs")
    )]
    BioDCEmd,
    #[serde(rename = "W!D*C", alias = "WpermDstarC", alias = "WpDsC")]
    #[cfg_attr(
        feature = "clap",
        value(name = "W!D*C", alias = "WpermDstarC", alias = "WpDsC")
    )]
    PermutedDRealC,
    #[serde(rename = "W!D*C*", alias = "WpermDstarCstar", alias = "WpDsCs")]
    #[cfg_attr(
        feature = "clap",
        value(name = "W!D*C*", alias = "WpermDstarCstar", alias = "WpDsCs")
    )]
    PermutedDRealCEmd,
}

impl Variant {
    /// All eleven, in the order of the study's Table 2.
    pub const ALL: [Variant; 11] = [
        Variant::BioDRealC,
        Variant::WDRealC,
        Variant::WDC,
        Variant::WDReal,
        Variant::WD,
        Variant::W,
        Variant::BioDRealCEmd,
        Variant::WDRealCEmd,
        Variant::BioDCEmd,
        Variant::PermutedDRealC,
        Variant::PermutedDRealCEmd,
    ];

    /// The study's label, e.g. `W*D*C`.
    pub fn label(self) -> &'static str {
        match self {
            Variant::W => "W",
            Variant::WD => "WD",
            Variant::WDReal => "WD*",
            Variant::WDC => "WDC",
            Variant::WDRealC => "WD*C",
            Variant::BioDRealC => "W*D*C",
            Variant::BioDRealCEmd => "W*D*C*",
            Variant::WDRealCEmd => "WD*C*",
            Variant::BioDCEmd => "W*DC*",
            Variant::PermutedDRealC => "W!D*C",
            Variant::PermutedDRealCEmd => "W!D*C*",
        }
    }

    /// The label in ASCII letters, safe in file names and shells unquoted: `*` → `star`,
    /// `!` → `perm` (`W*D*C` → `WstarDstarC`). [`FromStr`], serde and the CLI accept it, and
    /// the short form (`*` → `s`, `!` → `p`: `WsDsC`), as well as the label.
    pub fn ascii_name(self) -> String {
        self.label().replace('*', "star").replace('!', "perm")
    }

    fn short_ascii_name(self) -> String {
        self.label().replace('*', "s").replace('!', "p")
    }

    /// The three factors.
    pub fn factors(self) -> (InitKind, DistanceKind, CommunicabilityKind) {
        use CommunicabilityKind as C;
        use DistanceKind as D;
        use InitKind as I;
        match self {
            Variant::W => (I::Orthogonal, D::None, C::None),
            Variant::WD => (I::Orthogonal, D::Grid, C::None),
            Variant::WDReal => (I::Orthogonal, D::Real, C::None),
            Variant::WDC => (I::Orthogonal, D::Grid, C::Direct),
            Variant::WDRealC => (I::Orthogonal, D::Real, C::Direct),
            Variant::BioDRealC => (I::Bio, D::Real, C::Direct),
            Variant::BioDRealCEmd => (I::Bio, D::Real, C::EmpiricalEmd),
            Variant::WDRealCEmd => (I::Orthogonal, D::Real, C::EmpiricalEmd),
            Variant::BioDCEmd => (I::Bio, D::Grid, C::EmpiricalEmd),
            Variant::PermutedDRealC => (I::PermutedBio, D::Real, C::Direct),
            Variant::PermutedDRealCEmd => (I::PermutedBio, D::Real, C::EmpiricalEmd),
        }
    }

    /// The variant with these factors, if the study has it.
    pub fn from_factors(
        init: InitKind,
        distance: DistanceKind,
        communicability: CommunicabilityKind,
    ) -> Option<Variant> {
        Variant::ALL
            .into_iter()
            .find(|v| v.factors() == (init, distance, communicability))
    }

    pub fn init(self) -> InitKind {
        self.factors().0
    }

    pub fn distance(self) -> DistanceKind {
        self.factors().1
    }

    pub fn communicability(self) -> CommunicabilityKind {
        self.factors().2
    }

    /// Whether building it needs the field's activity (correlation and STTC).
    pub fn needs_activity(self) -> bool {
        self.init() != InitKind::Orthogonal
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// An unknown variant label.
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown variant `{0}`; the variants are W, WD, WD*, WDC, WD*C, W*D*C, W*D*C*, WD*C*, W*DC*, W!D*C, W!D*C* (or in ASCII: `*` as `star` or `s`, `!` as `perm` or `p`, e.g. WstarDstarC, WsDsC)"
)]
pub struct UnknownVariant(pub String);

impl FromStr for Variant {
    type Err = UnknownVariant;

    fn from_str(text: &str) -> Result<Variant, UnknownVariant> {
        let text = text.trim();
        Variant::ALL
            .into_iter()
            .find(|v| v.label() == text || v.ascii_name() == text || v.short_ascii_name() == text)
            .ok_or_else(|| UnknownVariant(text.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_round_trips_through_text_and_json() {
        for variant in Variant::ALL {
            assert_eq!(variant.label().parse::<Variant>().unwrap(), variant);
            let json = serde_json::to_string(&variant).unwrap();
            assert_eq!(json, format!("\"{}\"", variant.label()));
            assert_eq!(serde_json::from_str::<Variant>(&json).unwrap(), variant);
        }
    }

    #[test]
    fn ascii_names_are_accepted_everywhere_a_label_is() {
        for variant in Variant::ALL {
            for name in [variant.ascii_name(), variant.short_ascii_name()] {
                assert!(name.chars().all(|c| c.is_ascii_alphanumeric()), "{name}");
                assert_eq!(name.parse::<Variant>().unwrap(), variant, "{name}");
                let json = format!("\"{name}\"");
                assert_eq!(serde_json::from_str::<Variant>(&json).unwrap(), variant);
            }
        }
        assert_eq!(Variant::BioDRealC.ascii_name(), "WstarDstarC");
        assert_eq!(Variant::PermutedDRealC.ascii_name(), "WpermDstarC");
        assert_eq!("WsDsC".parse::<Variant>().unwrap(), Variant::BioDRealC);
        assert!("WxD".parse::<Variant>().is_err());
    }

    #[test]
    fn the_factors_identify_each_variant_once() {
        let mut seen = std::collections::HashSet::new();
        for variant in Variant::ALL {
            assert!(seen.insert(variant.factors()), "{variant} repeats factors");
            let (init, distance, communicability) = variant.factors();
            assert_eq!(
                Variant::from_factors(init, distance, communicability),
                Some(variant)
            );
        }
        assert_eq!(seen.len(), 11);
    }

    #[test]
    fn labels_spell_their_factors() {
        for variant in Variant::ALL {
            let label = variant.label();
            let (init, distance, communicability) = variant.factors();
            assert_eq!(label.starts_with("W*"), init == InitKind::Bio, "{label}");
            assert_eq!(
                label.starts_with("W!"),
                init == InitKind::PermutedBio,
                "{label}"
            );
            assert_eq!(
                label.contains("D*"),
                distance == DistanceKind::Real,
                "{label}"
            );
            assert_eq!(
                label.contains('C'),
                communicability != CommunicabilityKind::None
            );
            assert_eq!(
                label.ends_with("C*"),
                communicability == CommunicabilityKind::EmpiricalEmd
            );
        }
        assert!(
            "W**"
                .parse::<Variant>()
                .unwrap_err()
                .to_string()
                .contains("W*D*C")
        );
    }
}
