from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.binarisation_summary import BinarisationSummary
  from ..models.communities import Communities
  from ..models.metrics_config import MetricsConfig
  from ..models.omega import Omega
  from ..models.small_world import SmallWorld
  from ..models.undefined_metric import UndefinedMetric





T = TypeVar("T", bound="MetricsReport")



@_attrs_define
class MetricsReport:
    """ Everything [`compute_all`] computed. A field is present iff its metric was asked for and
    is defined; each absent requested metric is in `undefined` with the reason.

        Attributes:
            config (MetricsConfig): What [`compute_all`] computes and how. `Default` is the study's settings with every
                metric.
            n_units (int): `N`, the matrix size.
            undefined (list[UndefinedMetric]):
            assortativity (float | None | Unset):
            binarisation (BinarisationSummary | None | Unset):
            communicability (float | None | Unset):
            entropy (float | None | Unset):
            fraction_positive (float | None | Unset):
            modularity (Communities | None | Unset):
            modularity_leiden (Communities | None | Unset):
            modularity_louvain (Communities | None | Unset):
            omega (None | Omega | Unset):
            path_length (float | None | Unset):
            small_world (None | SmallWorld | Unset):
            small_world_degree (None | SmallWorld | Unset):
            small_world_density (None | SmallWorld | Unset):
            sparsity (float | None | Unset):
            spectral_radius (float | None | Unset):
            weighted_clustering (float | None | Unset):
            weighted_path_length (float | None | Unset):
            wiring_cost (float | None | Unset):
     """

    config: MetricsConfig
    n_units: int
    undefined: list[UndefinedMetric]
    assortativity: float | None | Unset = UNSET
    binarisation: BinarisationSummary | None | Unset = UNSET
    communicability: float | None | Unset = UNSET
    entropy: float | None | Unset = UNSET
    fraction_positive: float | None | Unset = UNSET
    modularity: Communities | None | Unset = UNSET
    modularity_leiden: Communities | None | Unset = UNSET
    modularity_louvain: Communities | None | Unset = UNSET
    omega: None | Omega | Unset = UNSET
    path_length: float | None | Unset = UNSET
    small_world: None | SmallWorld | Unset = UNSET
    small_world_degree: None | SmallWorld | Unset = UNSET
    small_world_density: None | SmallWorld | Unset = UNSET
    sparsity: float | None | Unset = UNSET
    spectral_radius: float | None | Unset = UNSET
    weighted_clustering: float | None | Unset = UNSET
    weighted_path_length: float | None | Unset = UNSET
    wiring_cost: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.undefined_metric import UndefinedMetric
        from ..models.metrics_config import MetricsConfig
        from ..models.omega import Omega
        from ..models.communities import Communities
        from ..models.small_world import SmallWorld
        from ..models.binarisation_summary import BinarisationSummary
        config = self.config.to_dict()

        n_units = self.n_units

        undefined = []
        for undefined_item_data in self.undefined:
            undefined_item = undefined_item_data.to_dict()
            undefined.append(undefined_item)



        assortativity: float | None | Unset
        if isinstance(self.assortativity, Unset):
            assortativity = UNSET
        else:
            assortativity = self.assortativity

        binarisation: dict[str, Any] | None | Unset
        if isinstance(self.binarisation, Unset):
            binarisation = UNSET
        elif isinstance(self.binarisation, BinarisationSummary):
            binarisation = self.binarisation.to_dict()
        else:
            binarisation = self.binarisation

        communicability: float | None | Unset
        if isinstance(self.communicability, Unset):
            communicability = UNSET
        else:
            communicability = self.communicability

        entropy: float | None | Unset
        if isinstance(self.entropy, Unset):
            entropy = UNSET
        else:
            entropy = self.entropy

        fraction_positive: float | None | Unset
        if isinstance(self.fraction_positive, Unset):
            fraction_positive = UNSET
        else:
            fraction_positive = self.fraction_positive

        modularity: dict[str, Any] | None | Unset
        if isinstance(self.modularity, Unset):
            modularity = UNSET
        elif isinstance(self.modularity, Communities):
            modularity = self.modularity.to_dict()
        else:
            modularity = self.modularity

        modularity_leiden: dict[str, Any] | None | Unset
        if isinstance(self.modularity_leiden, Unset):
            modularity_leiden = UNSET
        elif isinstance(self.modularity_leiden, Communities):
            modularity_leiden = self.modularity_leiden.to_dict()
        else:
            modularity_leiden = self.modularity_leiden

        modularity_louvain: dict[str, Any] | None | Unset
        if isinstance(self.modularity_louvain, Unset):
            modularity_louvain = UNSET
        elif isinstance(self.modularity_louvain, Communities):
            modularity_louvain = self.modularity_louvain.to_dict()
        else:
            modularity_louvain = self.modularity_louvain

        omega: dict[str, Any] | None | Unset
        if isinstance(self.omega, Unset):
            omega = UNSET
        elif isinstance(self.omega, Omega):
            omega = self.omega.to_dict()
        else:
            omega = self.omega

        path_length: float | None | Unset
        if isinstance(self.path_length, Unset):
            path_length = UNSET
        else:
            path_length = self.path_length

        small_world: dict[str, Any] | None | Unset
        if isinstance(self.small_world, Unset):
            small_world = UNSET
        elif isinstance(self.small_world, SmallWorld):
            small_world = self.small_world.to_dict()
        else:
            small_world = self.small_world

        small_world_degree: dict[str, Any] | None | Unset
        if isinstance(self.small_world_degree, Unset):
            small_world_degree = UNSET
        elif isinstance(self.small_world_degree, SmallWorld):
            small_world_degree = self.small_world_degree.to_dict()
        else:
            small_world_degree = self.small_world_degree

        small_world_density: dict[str, Any] | None | Unset
        if isinstance(self.small_world_density, Unset):
            small_world_density = UNSET
        elif isinstance(self.small_world_density, SmallWorld):
            small_world_density = self.small_world_density.to_dict()
        else:
            small_world_density = self.small_world_density

        sparsity: float | None | Unset
        if isinstance(self.sparsity, Unset):
            sparsity = UNSET
        else:
            sparsity = self.sparsity

        spectral_radius: float | None | Unset
        if isinstance(self.spectral_radius, Unset):
            spectral_radius = UNSET
        else:
            spectral_radius = self.spectral_radius

        weighted_clustering: float | None | Unset
        if isinstance(self.weighted_clustering, Unset):
            weighted_clustering = UNSET
        else:
            weighted_clustering = self.weighted_clustering

        weighted_path_length: float | None | Unset
        if isinstance(self.weighted_path_length, Unset):
            weighted_path_length = UNSET
        else:
            weighted_path_length = self.weighted_path_length

        wiring_cost: float | None | Unset
        if isinstance(self.wiring_cost, Unset):
            wiring_cost = UNSET
        else:
            wiring_cost = self.wiring_cost


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "config": config,
            "n_units": n_units,
            "undefined": undefined,
        })
        if assortativity is not UNSET:
            field_dict["assortativity"] = assortativity
        if binarisation is not UNSET:
            field_dict["binarisation"] = binarisation
        if communicability is not UNSET:
            field_dict["communicability"] = communicability
        if entropy is not UNSET:
            field_dict["entropy"] = entropy
        if fraction_positive is not UNSET:
            field_dict["fraction_positive"] = fraction_positive
        if modularity is not UNSET:
            field_dict["modularity"] = modularity
        if modularity_leiden is not UNSET:
            field_dict["modularity_leiden"] = modularity_leiden
        if modularity_louvain is not UNSET:
            field_dict["modularity_louvain"] = modularity_louvain
        if omega is not UNSET:
            field_dict["omega"] = omega
        if path_length is not UNSET:
            field_dict["path_length"] = path_length
        if small_world is not UNSET:
            field_dict["small_world"] = small_world
        if small_world_degree is not UNSET:
            field_dict["small_world_degree"] = small_world_degree
        if small_world_density is not UNSET:
            field_dict["small_world_density"] = small_world_density
        if sparsity is not UNSET:
            field_dict["sparsity"] = sparsity
        if spectral_radius is not UNSET:
            field_dict["spectral_radius"] = spectral_radius
        if weighted_clustering is not UNSET:
            field_dict["weighted_clustering"] = weighted_clustering
        if weighted_path_length is not UNSET:
            field_dict["weighted_path_length"] = weighted_path_length
        if wiring_cost is not UNSET:
            field_dict["wiring_cost"] = wiring_cost

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.binarisation_summary import BinarisationSummary
        from ..models.communities import Communities
        from ..models.metrics_config import MetricsConfig
        from ..models.omega import Omega
        from ..models.small_world import SmallWorld
        from ..models.undefined_metric import UndefinedMetric
        d = dict(src_dict)
        config = MetricsConfig.from_dict(d.pop("config"))




        n_units = d.pop("n_units")

        undefined = []
        _undefined = d.pop("undefined")
        for undefined_item_data in (_undefined):
            undefined_item = UndefinedMetric.from_dict(undefined_item_data)



            undefined.append(undefined_item)


        def _parse_assortativity(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        assortativity = _parse_assortativity(d.pop("assortativity", UNSET))


        def _parse_binarisation(data: object) -> BinarisationSummary | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                binarisation_type_1 = BinarisationSummary.from_dict(data)



                return binarisation_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(BinarisationSummary | None | Unset, data)

        binarisation = _parse_binarisation(d.pop("binarisation", UNSET))


        def _parse_communicability(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        communicability = _parse_communicability(d.pop("communicability", UNSET))


        def _parse_entropy(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        entropy = _parse_entropy(d.pop("entropy", UNSET))


        def _parse_fraction_positive(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        fraction_positive = _parse_fraction_positive(d.pop("fraction_positive", UNSET))


        def _parse_modularity(data: object) -> Communities | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                modularity_type_1 = Communities.from_dict(data)



                return modularity_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Communities | None | Unset, data)

        modularity = _parse_modularity(d.pop("modularity", UNSET))


        def _parse_modularity_leiden(data: object) -> Communities | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                modularity_leiden_type_1 = Communities.from_dict(data)



                return modularity_leiden_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Communities | None | Unset, data)

        modularity_leiden = _parse_modularity_leiden(d.pop("modularity_leiden", UNSET))


        def _parse_modularity_louvain(data: object) -> Communities | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                modularity_louvain_type_1 = Communities.from_dict(data)



                return modularity_louvain_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Communities | None | Unset, data)

        modularity_louvain = _parse_modularity_louvain(d.pop("modularity_louvain", UNSET))


        def _parse_omega(data: object) -> None | Omega | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                omega_type_1 = Omega.from_dict(data)



                return omega_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Omega | Unset, data)

        omega = _parse_omega(d.pop("omega", UNSET))


        def _parse_path_length(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        path_length = _parse_path_length(d.pop("path_length", UNSET))


        def _parse_small_world(data: object) -> None | SmallWorld | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                small_world_type_1 = SmallWorld.from_dict(data)



                return small_world_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmallWorld | Unset, data)

        small_world = _parse_small_world(d.pop("small_world", UNSET))


        def _parse_small_world_degree(data: object) -> None | SmallWorld | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                small_world_degree_type_1 = SmallWorld.from_dict(data)



                return small_world_degree_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmallWorld | Unset, data)

        small_world_degree = _parse_small_world_degree(d.pop("small_world_degree", UNSET))


        def _parse_small_world_density(data: object) -> None | SmallWorld | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                small_world_density_type_1 = SmallWorld.from_dict(data)



                return small_world_density_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SmallWorld | Unset, data)

        small_world_density = _parse_small_world_density(d.pop("small_world_density", UNSET))


        def _parse_sparsity(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        sparsity = _parse_sparsity(d.pop("sparsity", UNSET))


        def _parse_spectral_radius(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        spectral_radius = _parse_spectral_radius(d.pop("spectral_radius", UNSET))


        def _parse_weighted_clustering(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        weighted_clustering = _parse_weighted_clustering(d.pop("weighted_clustering", UNSET))


        def _parse_weighted_path_length(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        weighted_path_length = _parse_weighted_path_length(d.pop("weighted_path_length", UNSET))


        def _parse_wiring_cost(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        wiring_cost = _parse_wiring_cost(d.pop("wiring_cost", UNSET))


        metrics_report = cls(
            config=config,
            n_units=n_units,
            undefined=undefined,
            assortativity=assortativity,
            binarisation=binarisation,
            communicability=communicability,
            entropy=entropy,
            fraction_positive=fraction_positive,
            modularity=modularity,
            modularity_leiden=modularity_leiden,
            modularity_louvain=modularity_louvain,
            omega=omega,
            path_length=path_length,
            small_world=small_world,
            small_world_degree=small_world_degree,
            small_world_density=small_world_density,
            sparsity=sparsity,
            spectral_radius=spectral_radius,
            weighted_clustering=weighted_clustering,
            weighted_path_length=weighted_path_length,
            wiring_cost=wiring_cost,
        )


        metrics_report.additional_properties = d
        return metrics_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
