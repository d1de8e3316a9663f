"""The claims lab's tests: every experiment's result at its defaults, computed once per worker.

``default_results`` is a mapping name -> ExperimentResult (with its sweep tables), filled on
first access: a test that reads one experiment runs only that one. Tests that use it are marked
``@pytest.mark.xdist_group("experiments")`` so that under ``-n auto --dist loadgroup`` they share
one worker and the runs happen once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import pytest

from relutui.experiments import ExperimentResult, experiment_names, run_experiment


class _Defaults(Mapping):
    def __init__(self) -> None:
        self._cache: dict[str, ExperimentResult] = {}

    def __getitem__(self, name: str) -> ExperimentResult:
        if name not in experiment_names():
            raise KeyError(name)
        if name not in self._cache:
            self._cache[name] = run_experiment(name)
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        return iter(experiment_names())

    def __len__(self) -> int:
        return len(experiment_names())


_DEFAULTS = _Defaults()


@pytest.fixture(scope="session")
def default_results() -> Mapping[str, ExperimentResult]:
    """name -> the experiment's result at its defaults (seeds 0.., its steps), lazily."""
    return _DEFAULTS
