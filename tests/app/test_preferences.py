"""Theme and controls column persist between runs in $XDG_CONFIG_HOME/relutui/preferences.toml;
a broken or hostile file is ignored with a one-line notice; --no-preferences ignores it.
Every test points XDG_CONFIG_HOME at tmp_path: the real home is never read or written."""

from __future__ import annotations

import os
import sys

import pytest

from relutui.app.preferences import (
    MAX_BYTES, Preferences, config_dir, load_preferences, preferences_path, save_preferences,
)

from .conftest import SIZE


@pytest.fixture
def xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path / "relutui" / "preferences.toml"


def test_the_path_follows_xdg(tmp_path):
    assert preferences_path({"XDG_CONFIG_HOME": str(tmp_path)}) == tmp_path / "relutui" / "preferences.toml"
    home = os.path.expanduser("~")
    assert config_dir({}) == config_dir({"XDG_CONFIG_HOME": "relative/dir"})  # relative: ignored
    assert str(config_dir({})).startswith(home) and config_dir({}).parts[-2:] == (".config", "relutui")


def test_the_core_part_does_not_import_textual():
    import subprocess

    code = ("import sys, relutui.app.preferences; "
            "sys.exit(any(m.split('.')[0] in ('textual', 'rich') for m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_round_trip_and_no_file(xdg):
    assert load_preferences() == (Preferences(), None)
    assert save_preferences(Preferences(theme="textual-light", controls="hidden")) is None
    assert xdg.read_text().splitlines()[1:] == ['theme = "textual-light"', 'controls = "hidden"']
    assert load_preferences() == (Preferences(theme="textual-light", controls="hidden"), None)
    assert not list(xdg.parent.glob(".*.tmp"))  # the temporary file was renamed


@pytest.mark.parametrize("content,notice", [
    (b"theme = \n", "preferences file ignored: not valid TOML"),
    (b"\xff\xfe theme", "preferences file ignored: not UTF-8 text"),
    (b'theme = "[bold red]x[/]"\n', "preferences file ignored: theme is not a theme name"),
    (b"theme = 3\ncontrols = true\n",
     'preferences file ignored: theme is not a theme name; controls must be "shown" or "hidden"'),
    (b'theme = "nord"\ncolour = 1\n', "preferences partly ignored: unknown key colour"),
    (b'theme = "nord"\n"\\u001b[2J" = 1\n', "preferences partly ignored: unknown key ?"),
    (b"x" * (MAX_BYTES + 1), "preferences file ignored: larger than 16 KiB"),
])
def test_a_broken_file_is_ignored_with_one_plain_line(xdg, content, notice):
    xdg.parent.mkdir(parents=True)
    xdg.write_bytes(content)
    prefs, got = load_preferences()
    assert got == notice and "\n" not in got and "\x1b" not in got
    assert prefs.theme in (None, "nord") and prefs.controls is None


def test_a_directory_or_fifo_is_not_read_and_not_replaced(xdg):
    xdg.mkdir(parents=True)  # a directory where the file should be
    assert load_preferences()[1].startswith("preferences file ignored")
    assert save_preferences(Preferences(theme="nord")) == \
        "preferences not saved: the preferences path is not a regular file"
    assert xdg.is_dir()
    if hasattr(os, "mkfifo"):
        fifo = xdg.parent / "fifo.toml"
        os.mkfifo(fifo)
        assert load_preferences(fifo) == (Preferences(), "preferences file ignored: not a regular file")


def test_a_symlink_is_not_replaced(xdg, tmp_path):
    target = tmp_path / "elsewhere.toml"
    target.write_text('theme = "nord"\n')
    xdg.parent.mkdir(parents=True)
    xdg.symlink_to(target)
    assert load_preferences()[0].theme == "nord"  # read through the link
    assert save_preferences(Preferences(theme="dracula")) is not None
    assert target.read_text() == 'theme = "nord"\n' and xdg.is_symlink()


# ---------------------------------------------------------------- the app
async def test_the_theme_is_applied_and_saved_when_changed(xdg, config):
    from relutui.app.app import ReluApp

    save_preferences(Preferences(theme="textual-light"))
    app = ReluApp(config, preferences=True)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "textual-light"
        app.theme = "nord"
        await pilot.pause()
    assert load_preferences() == (Preferences(theme="nord"), None)


async def test_the_controls_column_is_remembered(xdg, config):
    from relutui.app.app import ReluApp

    app = ReluApp(config, preferences=True)
    async with app.run_test(size=(120, 36)) as pilot:  # wide: shown by default
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.controls_hidden()
    assert load_preferences()[0].controls == "hidden"
    app = ReluApp(config, preferences=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert app.screen.controls_hidden()
        await pilot.press("o")  # back to the width default: nothing left to remember
        await pilot.pause()
    assert load_preferences()[0].controls is None


async def test_an_unknown_theme_and_a_hostile_file_never_crash(xdg, config):
    from relutui.app.app import ReluApp

    xdg.parent.mkdir(parents=True)
    xdg.write_text('theme = "no-such-theme"\ncontrols = "[b]x"\n')
    app = ReluApp(config, preferences=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        notes = [n.message for n in app._notifications]
        assert notes == ["preferences: theme no-such-theme is not available, the default is used"]
        assert app.theme == "textual-dark"


async def test_without_preferences_nothing_is_read_or_written(xdg, config):
    from relutui.app.app import ReluApp

    save_preferences(Preferences(theme="textual-light"))
    before = xdg.read_text()
    app = ReluApp(config)  # what tests and --no-preferences use
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme != "textual-light"
        app.theme = "nord"
        await pilot.press("o")
        await pilot.pause()
    assert xdg.read_text() == before


def test_the_flag_reaches_the_app(monkeypatch):
    import relutui.app as app_pkg
    from relutui import cli

    seen = {}
    monkeypatch.setattr(app_pkg, "run_app", lambda config, **kw: seen.update(kw) or 0)
    assert cli.main(["--no-preferences"]) == 0 and seen["preferences"] is False
    seen.clear()
    assert cli.main([]) == 0 and seen.get("preferences", True) is True  # run_app's default: read


def test_version_prints_the_package_version(capsys):
    import relutui
    from relutui import cli

    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out == f"relutui {relutui.__version__}\n" == "relutui 0.1.0\n"
