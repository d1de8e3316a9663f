"""On ``--data FILE.csv`` the status line and the controls name the file, not "xor"; the name
comes from the user, so it is shown as plain text with unprintable characters escaped."""

from __future__ import annotations

from relutui.app.app import ReluApp
from relutui.app.values import dataset_text
from relutui.app.widgets.controls import shown_value
from relutui.app.widgets.status_bar import StatusBar
from relutui.training import TrainConfig

from .conftest import SIZE

ROWS = "x1,x2,label\n" + "".join(f"{i % 3},{i % 5},{i % 2}\n" for i in range(40))


async def test_status_line_and_controls_name_the_csv_file(tmp_path):
    path = tmp_path / "[bold]marks\x1b.csv"
    path.write_text(ROWS, encoding="utf-8")
    config = TrainConfig(data_path=str(path), seed=0)
    assert dataset_text(config) == "[bold]marks\\x1b.csv"
    app = ReluApp(config)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(StatusBar).line(app.state).plain
        assert "[bold]marks\\x1b.csv" in line and "xor" not in line and "\x1b" not in line
        assert shown_value("dataset", app.state) == "[bold]marks\\x1b.csv"
        await pilot.press("d")  # a generated data set again: its name
        await pilot.pause()
        assert app.state.config.data_path is None
        assert shown_value("dataset", app.state) == app.state.config.dataset
        assert app.state.config.dataset in app.screen.query_one(StatusBar).line(app.state).plain


def test_generated_dataset_text():
    assert dataset_text(TrainConfig(dataset="moons")) == "moons"
