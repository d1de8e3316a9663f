"""relutui: see and poke at why neural networks use ReLU rather than sigmoid.

The core (activations, engine, datasets, diagnostics, training, experiments) is
plain numpy and importable as a library::

    from relutui import MLP, get_activation, make_dataset
"""

from __future__ import annotations

__version__ = "0.1.0"

_EXPORTS = {
    "ACTIVATIONS": "activations", "get_activation": "activations", "Activation": "activations",
    "MLP": "engine", "train_step": "engine", "make_optimizer": "engine",
    "DATASETS": "datasets", "make_dataset": "datasets", "load_csv": "datasets",
    "neuron_states": "diagnostics", "layer_diagnostics": "diagnostics",
    "TrainConfig": "training", "TrainingRun": "training",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    """Import the core lazily so that `relutui --help` and the app start fast."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'relutui' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"relutui.{module}"), name)
