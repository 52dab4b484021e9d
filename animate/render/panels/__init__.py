"""Every panel, one class a file, each keeping the contract in ``animate/render/panel.py``.

Which picture gets which panels, and where, is the table in ``animate/render/layout.py``.
"""
from animate.render.panels.accuracy import AccuracyPanel
from animate.render.panels.class_curves import ClassCurvePanel
from animate.render.panels.class_map import ClassMap
from animate.render.panels.curve import CurvePanel
from animate.render.panels.hidden_units import HiddenUnitPanel, hidden_layer
from animate.render.panels.lattice_map import LatticeMap
from animate.render.panels.loss import LossPanel, loss_label
from animate.render.panels.prediction import PredictionPanel
from animate.render.panels.probability_map import ProbabilityMap
from animate.render.panels.value_map import ValueMap
from animate.render.panels.weight_path import WeightPathPanel

__all__ = ["AccuracyPanel", "ClassCurvePanel", "ClassMap", "CurvePanel", "HiddenUnitPanel", "LatticeMap", "LossPanel",
           "PredictionPanel", "ProbabilityMap", "ValueMap", "WeightPathPanel", "hidden_layer", "loss_label"]
