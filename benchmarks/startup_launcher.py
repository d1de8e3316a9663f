"""Launch one app in the terminal, note when its first complete frame is painted, exit.

    python benchmarks/startup_launcher.py relutui|bare STAMP_FILE

Both apps are started the same way: this script imports the app, runs it in the
real terminal it was given (the benchmark gives it a pty of 120x36), and at the
first complete frame writes ``time.monotonic()`` to STAMP_FILE and exits.

* ``bare``: a Textual app with a Header, a Footer and one PlotextPlot whose data
  is plotted in ``on_mount``; its first frame is complete at the first refresh.
* ``relutui``: ``relutui.app.app.ReluApp`` with the default config. Its main
  screen fills its panels in ``refresh_views``, which it schedules right after its
  first refresh; the frame is complete at the refresh that follows that call.

"Painted" is ``call_after_refresh``: Textual runs it once the screen has no
dirty widget left, i.e. after the compositor has rendered the update and handed
it to the driver's writer.
"""

from __future__ import annotations

import sys
import time

WHICH, STAMP = sys.argv[1], sys.argv[2]


def _stamp_and_exit(app) -> None:
    with open(STAMP, "w") as fh:
        fh.write(repr(time.monotonic()))
    app.exit()


def bare() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header
    from textual_plotext import PlotextPlot

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield PlotextPlot()
            yield Footer()

        def on_mount(self) -> None:
            plt = self.query_one(PlotextPlot).plt
            xs = [i / 20 - 10 for i in range(401)]
            plt.plot(xs, [max(0.0, x) for x in xs])
            plt.plot(xs, [1 / (1 + 2.718281828 ** -x) for x in xs])
            self.call_after_refresh(_stamp_and_exit, self)

    Bare().run()


def relutui() -> None:
    from relutui.app.app import ReluApp
    from relutui.app.screens.main import MainScreen

    original = MainScreen.refresh_views
    done = False

    def refresh_views(self, *args, **kwargs):
        nonlocal done
        original(self, *args, **kwargs)
        if not done and self.is_mounted:
            done = True
            self.app.call_after_refresh(_stamp_and_exit, self.app)

    MainScreen.refresh_views = refresh_views
    ReluApp().run()


if __name__ == "__main__":
    {"bare": bare, "relutui": relutui}[WHICH]()
