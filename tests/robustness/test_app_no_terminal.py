"""``relutui`` without a terminal refuses at once (exit 2, one line) instead of waiting forever;
under ``relutui serve`` (pipes and the web driver) the app still starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import relutui.app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("stdout", [subprocess.PIPE, None])
def test_no_terminal_exits_2_with_one_line(stdout, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_DRIVER"}
    out = subprocess.run([sys.executable, "-m", "relutui"], stdin=subprocess.DEVNULL, stdout=stdout,
                         stderr=subprocess.PIPE, text=True, timeout=60, cwd=tmp_path,
                         env={**env, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("relutui: error: the app needs a terminal")
    assert "stdin" in lines[0]


def test_served_sessions_are_not_refused(monkeypatch):
    started = []

    class FakeApp:
        return_code = 0

        def __init__(self, config, lesson_path=None, preferences=True, welcome=False):
            started.append(config)

        def run(self):
            pass

    import relutui.app.app

    monkeypatch.setattr(relutui.app.app, "ReluApp", FakeApp)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    assert relutui.app.served()
    assert relutui.app.run_app(None) == 0 and started == [None]
    monkeypatch.delenv("TEXTUAL_DRIVER")
    assert not relutui.app.served()
    assert relutui.app.run_app(None) == 2 and started == [None]
