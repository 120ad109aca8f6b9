""" Contains all the data models used in inputs/outputs """

from .binarisation_summary import BinarisationSummary
from .bio_init_config import BioInitConfig
from .bio_source import BioSource
from .communities import Communities
from .comparison_filter import ComparisonFilter
from .comparison_job import ComparisonJob
from .comparison_page import ComparisonPage
from .comparison_request import ComparisonRequest
from .comparison_result import ComparisonResult
from .compat_flags import CompatFlags
from .condition_decision_time import ConditionDecisionTime
from .condition_score import ConditionScore
from .condition_type_0 import ConditionType0
from .condition_type_0_task import ConditionType0Task
from .condition_type_1 import ConditionType1
from .condition_type_1_task import ConditionType1Task
from .condition_type_2 import ConditionType2
from .condition_type_2_task import ConditionType2Task
from .dataset_ref import DatasetRef
from .decision_time import DecisionTime
from .device import Device
from .direction import Direction
from .distance_control import DistanceControl
from .distance_spec_type_0 import DistanceSpecType0
from .distance_spec_type_0_kind import DistanceSpecType0Kind
from .distance_spec_type_1 import DistanceSpecType1
from .distance_spec_type_1_kind import DistanceSpecType1Kind
from .distance_spec_type_2 import DistanceSpecType2
from .distance_spec_type_2_kind import DistanceSpecType2Kind
from .duplicate import Duplicate
from .epoch_record import EpochRecord
from .evaluate_request import EvaluateRequest
from .evaluation import Evaluation
from .exclusion import Exclusion
from .get_trials_array import GetTrialsArray
from .get_trials_format import GetTrialsFormat
from .go_nogo_config import GoNogoConfig
from .go_nogo_config_task import GoNogoConfigTask
from .grid_lattice import GridLattice
from .group_by import GroupBy
from .group_summary import GroupSummary
from .health import Health
from .history_summary import HistorySummary
from .init_control import InitControl
from .interval import Interval
from .job_status import JobStatus
from .kruskal_wallis import KruskalWallis
from .logistic_fit import LogisticFit
from .mann_whitney import MannWhitney
from .mann_whitney_method import MannWhitneyMethod
from .measure_comparison import MeasureComparison
from .measured_model import MeasuredModel
from .measured_model_values import MeasuredModelValues
from .metric_kind import MetricKind
from .metrics_config import MetricsConfig
from .metrics_report import MetricsReport
from .model import Model
from .model_history import ModelHistory
from .model_manifest import ModelManifest
from .model_manifest_task_config import ModelManifestTaskConfig
from .model_metrics import ModelMetrics
from .model_page import ModelPage
from .model_patch import ModelPatch
from .model_summary import ModelSummary
from .model_upload import ModelUpload
from .null_model import NullModel
from .null_summary import NullSummary
from .omega import Omega
from .one_choice_inference_config import OneChoiceInferenceConfig
from .one_choice_inference_config_task import OneChoiceInferenceConfigTask
from .onnx_signature import OnnxSignature
from .pairwise_test import PairwiseTest
from .penalty_normalisation import PenaltyNormalisation
from .perceptual_dm_config import PerceptualDmConfig
from .perceptual_dm_config_task import PerceptualDmConfigTask
from .period import Period
from .problem import Problem
from .progress import Progress
from .psychometric import Psychometric
from .psychometric_point import PsychometricPoint
from .readiness import Readiness
from .real_distance_mode import RealDistanceMode
from .scores import Scores
from .small_world import SmallWorld
from .summary import Summary
from .table import Table
from .task_info import TaskInfo
from .task_kind import TaskKind
from .training_mode import TrainingMode
from .training_outcome import TrainingOutcome
from .training_protocol import TrainingProtocol
from .trial_outcome import TrialOutcome
from .trials import Trials
from .undefined_metric import UndefinedMetric
from .variant import Variant

__all__ = (
    "BinarisationSummary",
    "BioInitConfig",
    "BioSource",
    "Communities",
    "ComparisonFilter",
    "ComparisonJob",
    "ComparisonPage",
    "ComparisonRequest",
    "ComparisonResult",
    "CompatFlags",
    "ConditionDecisionTime",
    "ConditionScore",
    "ConditionType0",
    "ConditionType0Task",
    "ConditionType1",
    "ConditionType1Task",
    "ConditionType2",
    "ConditionType2Task",
    "DatasetRef",
    "DecisionTime",
    "Device",
    "Direction",
    "DistanceControl",
    "DistanceSpecType0",
    "DistanceSpecType0Kind",
    "DistanceSpecType1",
    "DistanceSpecType1Kind",
    "DistanceSpecType2",
    "DistanceSpecType2Kind",
    "Duplicate",
    "EpochRecord",
    "EvaluateRequest",
    "Evaluation",
    "Exclusion",
    "GetTrialsArray",
    "GetTrialsFormat",
    "GoNogoConfig",
    "GoNogoConfigTask",
    "GridLattice",
    "GroupBy",
    "GroupSummary",
    "Health",
    "HistorySummary",
    "InitControl",
    "Interval",
    "JobStatus",
    "KruskalWallis",
    "LogisticFit",
    "MannWhitney",
    "MannWhitneyMethod",
    "MeasureComparison",
    "MeasuredModel",
    "MeasuredModelValues",
    "MetricKind",
    "MetricsConfig",
    "MetricsReport",
    "Model",
    "ModelHistory",
    "ModelManifest",
    "ModelManifestTaskConfig",
    "ModelMetrics",
    "ModelPage",
    "ModelPatch",
    "ModelSummary",
    "ModelUpload",
    "NullModel",
    "NullSummary",
    "Omega",
    "OneChoiceInferenceConfig",
    "OneChoiceInferenceConfigTask",
    "OnnxSignature",
    "PairwiseTest",
    "PenaltyNormalisation",
    "PerceptualDmConfig",
    "PerceptualDmConfigTask",
    "Period",
    "Problem",
    "Progress",
    "Psychometric",
    "PsychometricPoint",
    "Readiness",
    "RealDistanceMode",
    "Scores",
    "SmallWorld",
    "Summary",
    "Table",
    "TaskInfo",
    "TaskKind",
    "TrainingMode",
    "TrainingOutcome",
    "TrainingProtocol",
    "TrialOutcome",
    "Trials",
    "UndefinedMetric",
    "Variant",
)
