"""What the start-up leaves for later, locked (counted, never timed).

* ``import relutui.cli, relutui.app.app`` in a fresh interpreter (what ``relutui`` imports
  before its first frame) loads no experiment, lesson, article or dialog module, and neither
  ``tomllib`` nor ``secrets``: they load where they are used (a first run reads no TOML and
  writes no file).
* ``relutui.app.run_app`` runs the start-up with the garbage collector off; the app turns it
  back on at its first frame (``ReluApp._freeze_heap``), and the first full pass while idle
  takes in the start-up's heap, its garbage with it.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import relutui.app as app_package
from relutui.training import TrainConfig

ROOT = Path(__file__).resolve().parent.parent.parent
LATER = ("relutui.experiments", "relutui.lessons", "relutui.demos", "relutui.session.present.article",
         "relutui.app.screens.article", "relutui.app.screens.compare", "relutui.app.screens.help",
         "tomllib", "secrets")


def test_the_app_import_leaves_for_later_what_the_first_frame_does_not_use():
    code = ("import json, sys\nimport relutui.cli, relutui.app.app, relutui.app.screens.main\n"
            f"print(json.dumps(sorted(m for m in sys.modules if m.startswith({LATER!r}))))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_run_app_starts_with_the_collector_off_and_leaves_it_on(monkeypatch):
    seen = {}

    class FakeApp:
        return_code = 0

        def __init__(self, *args, **kwargs) -> None:
            seen["init"] = gc.isenabled()

        def run(self) -> None:
            seen["run"] = gc.isenabled()

    monkeypatch.setattr(app_package, "_not_terminals", lambda: [])
    monkeypatch.setattr("relutui.app.app.ReluApp", FakeApp)
    assert gc.isenabled()
    try:
        assert app_package.run_app(TrainConfig(), preferences=False, welcome=False) == 0
        assert seen == {"init": False, "run": False}
        assert gc.isenabled()
    finally:
        gc.enable()


async def test_the_first_frame_turns_the_collector_on_and_the_idle_pass_takes_the_start_up_heap(app_pilot):
    gc.disable()  # as relutui.app.run_app leaves it
    try:
        async with app_pilot() as (app, pilot):
            for _ in range(3):
                await pilot.pause()
            assert app._heap_frozen and gc.isenabled()
            assert app._startup_garbage and gc.get_freeze_count() > 0
            app._last_input = 0.0  # idle for long
            app._collect_when_idle()  # unfreezes, collects everything once, freezes again
            assert not app._startup_garbage and gc.get_freeze_count() > 0
        assert gc.isenabled() and gc.get_freeze_count() == 0  # on_unmount
    finally:
        gc.enable()
        gc.unfreeze()
