"""Launch one app in the terminal, note when its first complete frame is painted, exit.

    python benchmarks/startup_launcher.py relutui|bare|floor STAMP_FILE

The apps are started the same way: this script starts the app in the real
terminal it was given (the benchmark gives it a pty of 120x36), and at the first
complete frame writes ``time.monotonic()`` to STAMP_FILE and exits.

* ``bare``: a Textual app with a Header, a Footer and one PlotextPlot whose data
  is plotted in ``on_mount``; its first frame is complete at the first refresh.
* ``floor``: the bare app, plus numpy, relutui's core and the training run that
  the first frame of relutui shows (not a target: what no UI could avoid).
* ``relutui``: the ``relutui`` command (``cli.main``) with the default config.
  Its main screen pushes the views into its panels when it mounts, before the
  first layout; the frame is complete at the refresh that follows.

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


def _run_plot_app(curves) -> None:
    """A Textual app with a Header, a Footer and one PlotextPlot that plots the two curves
    ``curves()`` returns (xs, ys, ys) when it mounts; stamped at its first refresh."""
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header
    from textual_plotext import PlotextPlot

    class PlotApp(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield PlotextPlot()
            yield Footer()

        def on_mount(self) -> None:
            xs, ys1, ys2 = curves()
            plt = self.query_one(PlotextPlot).plt
            plt.plot(xs, ys1)
            plt.plot(xs, ys2)
            self.call_after_refresh(_stamp_and_exit, self)

    PlotApp().run()


XS = [i / 20 - 10 for i in range(401)]


def bare() -> None:
    _run_plot_app(lambda: (XS, [max(0.0, x) for x in XS], [1 / (1 + 2.718281828 ** -x) for x in XS]))


def floor() -> None:
    """The bare app plus what any first frame of relutui must compute: numpy and the core
    imported, a training run built (data, weights, first forward and backward pass). Not a
    target: it shows how much of the gap to the bare app is the UI."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as the relutui command does
    from relutui.activations import get_activation
    from relutui.training import TrainConfig, TrainingRun

    def curves():
        run = TrainingRun(TrainConfig())
        run.net.loss_and_gradients(run.dataset.X, run.dataset.y)
        act = get_activation(run.config.activation)
        return XS, act(XS).tolist(), act.derivative(XS).tolist()

    _run_plot_app(curves)


def relutui() -> None:
    """The ``relutui`` command itself (``cli.main``), stamped once the first paint that shows
    the main screen's views is out (the views go in before the first layout)."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # what cli.main does before numpy loads
    from relutui.cli import main

    done = False

    def stamp_at_first_views(MainScreen) -> None:
        original = MainScreen._push_views

        def push_views(self, *args, **kwargs):
            nonlocal done
            original(self, *args, **kwargs)
            if not done:
                done = True
                self.app.call_after_refresh(_stamp_and_exit, self.app)

        MainScreen._push_views = push_views

    # patched when the command imports it (inside relutui.app.run_app, after its set-up: the
    # collector is off there), not imported here ahead of it
    _patch_on_import("relutui.app.screens.main", lambda module: stamp_at_first_views(module.MainScreen))
    main([])


def _patch_on_import(name: str, patch) -> None:
    """Run ``patch(module)`` right after module ``name`` is first imported, wherever that is."""
    import importlib.abc
    import importlib.util

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            exec_module = spec.loader.exec_module

            def exec_and_patch(module):
                exec_module(module)
                patch(module)

            spec.loader.exec_module = exec_and_patch
            return spec

    sys.meta_path.insert(0, Finder())


if __name__ == "__main__":
    {"bare": bare, "floor": floor, "relutui": relutui}[WHICH]()
