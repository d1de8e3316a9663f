"""Suite-wide settings: numpy floating-point problems are errors, not warnings; async
(Pilot) tests run in their own event loop; no blinking cursor in any test; ``app_pilot``
starts the app headless; ``default_results`` runs each experiment at its defaults once per
worker, for the claims lab's tests and the README's."""

import asyncio
import gc
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


def pytest_configure(config):
    """The collector's passes walk every object a worker holds (the app's modules, the fixtures'
    runs): the heap after collection is frozen and young passes come every 50,000 allocations,
    not 700 (measured on tests/app/test_pilot.py + test_screen_truth.py, serial: 48 -> 38 CPU s).
    An app's own freeze (``ReluApp._freeze_heap``) is undone when it ends, these thresholds stay."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


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


# Fixtures that cost seconds of CPU and are computed once per worker (module or session scope):
# the tests that use one share a worker (``--dist loadgroup``), or each worker that gets one of
# them computes it again (the demos' screenshots were made up to three times a run).
SHARED_FIXTURES = {"default_results": "experiments", "screenshots_ulp_off": "demo-screenshots"}

# Tests that take long (many CPU seconds, or waits on subprocesses): handed out first. xdist
# hands tests out in collection order (groups first, the largest first), and a long test that
# starts last sets the suite's wall time while the other workers idle. Longest first.
LONG_FIRST = (
    "tests/robustness/test_fuzz_keys.py::test_fuzz_keys_and_resizes",
    "tests/test_readme.py::test_readme_command[make screenshots]",
    "tests/robustness/test_soak.py::test_100k_headless_steps_memory_flat",
    "tests/test_readme.py::test_readme_command[pipx install .]",
    "tests/test_demo_captions.py::test_demo_captions_say_what_is_on_screen[tour]",
    "tests/app/test_lesson_start.py::test_lesson_at_the_largest_sizes",
    "tests/app/test_lesson_start.py::test_play_at_the_largest_sizes",
    "tests/robustness/test_fuzz_keys.py::test_a_dialog_closing_under_the_too_small_notice",
    "tests/robustness/test_soak.py::test_10k_app_steps_under_pilot",
    "tests/test_serve.py::test_serve_in_headless_chromium",
    "tests/test_readme.py::test_readme_command[pip install .]",
    "tests/robustness/test_real_terminal.py::test_installed_app_in_a_pty",
    "tests/robustness/test_interrupts.py::",
    "tests/robustness/test_divergence.py::test_step_through_into_a_divergence",
)


def _long_rank(nodeid: str) -> int:
    return next((rank for rank, prefix in enumerate(LONG_FIRST) if nodeid.startswith(prefix)),
                len(LONG_FIRST))


@pytest.hookimpl(tryfirst=True)  # (before xdist's, which reads the xdist_group marks)
def pytest_collection_modifyitems(config, items):
    """Long tests first (``LONG_FIRST``); tests sharing a costly fixture on one worker
    (``SHARED_FIXTURES``). ``make test-fast`` (``-m "not slow"``) is the edit loop: besides what
    is marked slow by hand, every test that starts the app (an ``async def`` Pilot test or a
    snapshot) or a server counts as slow there; ``make test`` runs them all."""
    slow = pytest.mark.slow
    items.sort(key=lambda item: _long_rank(item.nodeid))  # (stable: the rest keep their order)
    for item in items:
        for fixture, group in SHARED_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()) and not item.get_closest_marker("xdist_group"):
                item.add_marker(pytest.mark.xdist_group(group))
        fn = getattr(item, "obj", None)
        if (inspect.iscoroutinefunction(fn) or "snap_compare" in getattr(item, "fixturenames", ())
                or "serve" in item.nodeid.split("::")[0]):
            item.add_marker(slow)
