"""Suite-wide settings: numpy floating-point problems are errors, not warnings; async
(Pilot) tests run in their own event loop; no blinking cursor in any test; ``app_pilot``
starts the app headless; ``default_results`` runs each experiment at its defaults once per
worker, for the claims lab's tests and the README's."""

import asyncio
import contextlib
import inspect
from collections.abc import Iterator, Mapping

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(  # (no example database: the suite writes nothing in the checkout)
    "ci", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _numpy_raises():
    old = np.seterr(over="raise", invalid="raise", divide="raise", under="ignore")
    yield
    np.seterr(**old)


@pytest.fixture(autouse=True)
def _private_config_home(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's real preferences: XDG_CONFIG_HOME is a fresh folder
    (subprocesses, the app in a pty included, inherit it)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("config")))


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch):
    """Snapshots and pilots must not depend on the cursor blink phase (or its timer)."""
    from textual.widgets import Input

    monkeypatch.setattr(Input, "cursor_blink", False, raising=False)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests (Pilot) in a fresh event loop."""
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture
def app_pilot(tmp_path, monkeypatch):
    """Starts the app headless, in the test's temporary folder (ctrl+s, ctrl+l write there)::

        async with app_pilot(config, size=(80, 24)) as (app, pilot):
            await pilot.press("s")

    ``config`` defaults to ``TrainConfig(seed=0)`` (to the lesson's with ``lesson_path``),
    ``size`` to 120x36; ``app_class`` runs a subclass (or anything built from the config);
    other keywords go to ``App.run_test``."""
    from relutui.app.app import ReluApp
    from relutui.training import TrainConfig

    monkeypatch.chdir(tmp_path)

    @contextlib.asynccontextmanager
    async def start(config=None, size=(120, 36), *, app_class=ReluApp, lesson_path=None, **run_test):
        if lesson_path is not None:
            app = app_class(config, lesson_path=lesson_path)
        else:
            app = app_class(TrainConfig(seed=0) if config is None else config)
        async with app.run_test(size=size, **run_test) as pilot:
            yield app, pilot

    return start


class _Defaults(Mapping):
    """name -> ``run_experiment(name)`` (its seeds, its steps, its sweep tables), run on first
    access: a test that reads one experiment runs only that one."""

    def __init__(self) -> None:
        self._cache: dict = {}

    def __getitem__(self, name: str):
        from relutui.experiments import experiment_names
        from relutui.experiments.common import run_experiment  # (the package's name may be patched)

        if name not in experiment_names():
            raise KeyError(name)
        if name not in self._cache:
            self._cache[name] = run_experiment(name)
        return self._cache[name]

    def __iter__(self) -> Iterator[str]:
        from relutui.experiments import experiment_names

        return iter(experiment_names())

    def __len__(self) -> int:
        from relutui.experiments import experiment_names

        return len(experiment_names())


_DEFAULTS = _Defaults()


@pytest.fixture(scope="session")
def default_results() -> Mapping:
    """name -> the experiment's result at its defaults, lazily, once per worker. Tests that use
    it are marked ``@pytest.mark.xdist_group("experiments")``: under ``--dist loadgroup`` they
    share one worker, so each experiment runs once per suite."""
    return _DEFAULTS


def pytest_collection_modifyitems(config, items):
    """``make test-fast`` (``-m "not slow"``) is the edit loop: besides what is marked slow by
    hand, every test that starts the app (an ``async def`` Pilot test or a snapshot) or a server
    counts as slow there; ``make test`` runs them all."""
    slow = pytest.mark.slow
    for item in items:
        fn = getattr(item, "obj", None)
        if (inspect.iscoroutinefunction(fn) or "snap_compare" in getattr(item, "fixturenames", ())
                or "serve" in item.nodeid.split("::")[0]):
            item.add_marker(slow)
