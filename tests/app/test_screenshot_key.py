"""ctrl+s / F12: an SVG screenshot of the current screen in the working directory."""

from __future__ import annotations

from relutui.app.screens.help import HelpScreen

from .conftest import SIZE


async def test_ctrl_s_saves_an_svg_and_says_where(app_pilot, tmp_path, monkeypatch, config):
    monkeypatch.chdir(tmp_path)
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        path = tmp_path / "relutui-001.svg"
        assert path.is_file()
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "controls" in svg
        assert "screenshot saved" not in svg  # the picture is taken before the notice
        messages = [n.message for n in app._notifications]
        assert f"screenshot saved to {path.resolve()}" in messages


async def test_f12_never_overwrites(app_pilot, tmp_path, monkeypatch, config):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "relutui-001.svg").write_text("keep me", encoding="utf-8")
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("question_mark")  # any screen: the help too
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert (tmp_path / "relutui-001.svg").read_text(encoding="utf-8") == "keep me"
    assert (tmp_path / "relutui-002.svg").is_file()
    assert "getting" in (tmp_path / "relutui-003.svg").read_text(encoding="utf-8")  # the help's picture (its opening)


async def test_screenshot_error_is_a_notice(app_pilot, tmp_path, monkeypatch, config):
    import relutui.demos.files as files

    monkeypatch.chdir(tmp_path)

    def refuse(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "save_screenshot_svg", refuse)
    async with app_pilot(config, size=SIZE) as (app, pilot):
        await pilot.press("ctrl+s")
        await pilot.pause()
        errors = [n for n in app._notifications if n.severity == "error"]
        assert errors and "screenshot not saved" in errors[-1].message
