"""The article walk-through (issue 13): the article's text with each claim marked by its
verdict; ] / [ go from claim to claim, enter loads the claim's experiment on the main screen.

Verdicts come from running each claim's experiment at its defaults, in a worker thread
(``ArticleRunner``, kept by the app for the session): "not run yet" until then. The article's
words are plain text (``rich.text.Text``, never markup)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from relutui.app.screens.bindings import ARTICLE
from relutui.app.widgets import palette
from relutui.app.widgets.footer import FoldingFooter
from relutui.session.present import article as present

if TYPE_CHECKING:
    from relutui.app.app import ReluApp

STATUS_TAGS = {"holds": "active", "does not hold": "dead", "depends": "saturated", "not tested": "dim",
               present.NOT_RUN: "label", present.RUNNING: "label"}
# commas between the marks: "·" is a mark itself (not testable), "✗ false · · not testable" misread
LEGEND = ("marks: ✔ holds, ✘ does not hold, ◐ depends, ○ not tested, ? not run yet "
          "(an experiment tests it), ≡ true by definition, ~ muddled, ✗ false, · not testable "
          "(no experiment: nothing to run)")


class _Cancelled(Exception):
    pass


class ArticleRunner:
    """Runs the article's experiments at their defaults, one at a time in one worker thread,
    the selected claim's first; keeps every verdict for the session (``verdicts``)."""

    def __init__(self, app: "ReluApp") -> None:
        self.app = app
        self.verdicts: dict[str, dict] = {}
        self.errors: dict[str, str] = {}
        self.running: str | None = None
        self.progress: tuple[int, int] = (0, 0)
        self._queue: list[str] = []
        self._lock = threading.Lock()
        self._worker = None
        self._active = False  # a worker is taking names from the queue

    def request(self, names: list[str], first: str | None = None) -> None:
        """Queue ``names`` (those not run yet); ``first`` goes to the front."""
        with self._lock:
            for name in names:
                if name not in self.verdicts and name not in self._queue and name != self.running:
                    self._queue.append(name)
            if first is not None and first in self._queue:
                self._queue.remove(first)
                self._queue.insert(0, first)
            # (decided under the lock: a worker that found the queue empty has said so in _next)
            start = bool(self._queue) and not self._active
            if start:
                self._active = True
        if start:
            self._worker = self.app.run_worker(self._work, name="article-runner", group="article",
                                               description="article walk-through: verdicts",
                                               thread=True, exit_on_error=False)

    def stop(self) -> None:
        """Run nothing more (the walk-through closed): the experiment running now finishes."""
        with self._lock:
            self._queue.clear()

    def pending(self) -> set[str]:
        with self._lock:
            return set(self._queue)

    def record(self, name: str, verdict_obj: dict | None) -> None:
        """A verdict from elsewhere (the main screen's run of the experiment at its defaults)."""
        if verdict_obj is not None:
            self.verdicts[name] = verdict_obj
            with self._lock:
                if name in self._queue:
                    self._queue.remove(name)

    def _next(self) -> str | None:
        with self._lock:
            while self._queue:
                name = self._queue.pop(0)
                if name not in self.verdicts:
                    return name
            self._active = False  # the worker ends: the next request starts another
            return None

    def _work(self) -> None:
        import numpy as np

        from relutui.experiments import run_experiment

        worker = get_current_worker()
        emptied = False
        try:
            emptied = self._run_queue(worker, np, run_experiment)
        finally:
            if not emptied:  # cancelled (the app closes): _next did not say the worker ends
                with self._lock:
                    self._active = False
        self._post(self._progressed, None, 0, 0)

    def _run_queue(self, worker, np, run_experiment) -> bool:
        """True when the queue ran empty (``_next`` marked the worker ended), False when cancelled."""
        while not worker.is_cancelled:
            name = self._next()
            if name is None:
                return True

            def progress(done: int, total: int, _label: str, name=name) -> None:
                if worker.is_cancelled:
                    raise _Cancelled()
                self._post(self._progressed, name, done, total)

            self._post(self._progressed, name, 0, 0)
            try:
                with np.errstate(all="ignore"):
                    result = run_experiment(name, progress=progress, tables=False)
            except _Cancelled:
                return False
            except Exception as exc:  # one failing experiment does not stop the walk-through
                self._post(self._failed, name, str(exc))
                continue
            self._post(self._finished, name, result.verdict_obj)
        return False

    def _post(self, fn, *args: Any) -> None:
        try:
            self.app.call_from_thread(fn, *args)
        except Exception:  # the app is closing
            pass

    def _progressed(self, name: str | None, done: int, total: int) -> None:
        self.running, self.progress = name, (done, total)
        self._refresh()

    def _finished(self, name: str, verdict_obj: dict | None) -> None:
        self.running = None
        self.record(name, verdict_obj)
        self._refresh()

    def _failed(self, name: str, message: str) -> None:
        self.running = None
        self.errors[name] = message
        self.app.notify(f"{name} failed: {message}", severity="error", timeout=6, markup=False)
        self._refresh()

    def _refresh(self) -> None:
        screen = self.app.screen
        if isinstance(screen, ArticleScreen):
            screen.refresh_views()


class ArticleScreen(Screen):
    """The article, claim by claim. ``autorun``: run the claims' experiments in the
    background from the start (the selected claim's first); otherwise ``r`` runs one."""

    BINDINGS = ARTICLE
    AUTO_FOCUS = ""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (150, "-wide")]
    DEFAULT_CSS = """
    ArticleScreen { layout: vertical; }
    #article-head { height: 1; padding: 0 1; background: $panel; color: $text; text-style: bold; }
    #article-body { height: 1fr; layout: vertical; }
    #article-text { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    #article-text > .para { margin-bottom: 1; }
    #article-text > .legend { color: $text-muted; margin-bottom: 1; }
    #article-claim { height: auto; max-height: 11; border: round $primary; padding: 0 1;
                     border-title-color: $primary; }
    ArticleScreen.-wide #article-body { layout: horizontal; }
    ArticleScreen.-wide #article-text { width: 1fr; max-width: 110; }
    ArticleScreen.-wide #article-claim { width: 1fr; max-width: 80; height: auto; max-height: 100%; }
    """

    def __init__(self, selected: int = 0, autorun: bool = True) -> None:
        super().__init__()
        self.selected = max(0, min(selected, len(present.CLAIMS) - 1))
        self.autorun = autorun
        self._view: present.ArticleView | None = None
        self._para_of: dict[int, int] = {}  # claim index -> paragraph index
        self._shown: dict[int, object] = {}

    @property
    def relu_app(self) -> "ReluApp":
        return self.app  # type: ignore[return-value]

    @property
    def runner(self) -> ArticleRunner:
        return self.relu_app.article_runner()

    def compose(self) -> ComposeResult:
        paras, heading, title = present.paragraphs()
        yield Static("", id="article-head")
        with Horizontal(id="article-body"):
            with VerticalScroll(id="article-text"):
                yield Static(Text(LEGEND), classes="legend")
                for pi, segs in enumerate(paras):
                    for seg in segs:
                        for ci in seg.claims:
                            self._para_of[ci] = pi
                    yield Static("", id=f"para-{pi}", classes="para")
            yield VerticalScroll(Static("", id="article-claim-text"), id="article-claim")
        yield FoldingFooter(compact=True)

    def on_mount(self) -> None:
        self.refresh_views()
        if self.autorun:
            self.runner.request(present.experiments_in_order(), first=self._experiment())
        self.call_after_refresh(self._scroll_to_selected, False)

    def on_screen_resume(self) -> None:
        self.refresh_views()

    def on_resize(self) -> None:
        self._show_head()

    def _show_head(self) -> None:
        """The article's title when it fits the line, else the count of claims (never cut)."""
        _, _, title = present.paragraphs()
        full = f"article walk-through · {title}"
        short = f"article walk-through · {len(present.CLAIMS)} claims, in the article's order"
        width = self.size.width - 2
        self.query_one("#article-head", Static).update(Text(full if len(full) <= width else short))

    def on_unmount(self) -> None:
        # the background runs are for this screen: none goes on under the main screen's training
        self.runner.stop()

    # ------------------------------------------------------------ drawing
    def _experiment(self) -> str | None:
        return present.CLAIMS[self.selected].experiment

    def refresh_views(self, *_: Any) -> None:
        if not self.is_mounted:
            return
        runner = self.runner
        running = {runner.running} if runner.running else set()
        view = present.build(runner.verdicts, running)  # (queued ones: not run yet)
        self._view = view
        paras, heading, _ = present.paragraphs()
        for pi, segs in enumerate(paras):
            key = (self.selected if any(self.selected in s.claims for s in segs) else None,
                   tuple(view.claims[ci].status for s in segs for ci in s.claims), self.app.theme)
            if self._shown.get(pi) == key:
                continue
            self._shown[pi] = key
            self.query_one(f"#para-{pi}", Static).update(self._paragraph(segs, heading[pi], view))
        self._show_claim(view)
        self._show_head()

    def _paragraph(self, segs, is_heading: bool, view: present.ArticleView) -> Text:
        app = self.app
        text = Text(style=Style(bold=True) if is_heading else "")
        for seg in segs:
            if not seg.claims:
                text.append(seg.text)
                continue
            tag = Text("[")
            for k, ci in enumerate(seg.claims):
                st = view.claims[ci]
                if k:
                    tag.append(" ")
                style = palette.tag_style(app, STATUS_TAGS.get(st.status, "dim"))
                if ci == self.selected:
                    style = style + Style(reverse=True)
                tag.append(f"{ci + 1}{st.symbol}", style)
            tag.append("]")
            text.append_text(tag)
            text.append(" ")
            selected = self.selected in seg.claims
            style = Style(underline=True, bold=selected)
            if selected:
                style = style + palette.tag_style(app, "sel")
            text.append(seg.text, style)
        return text

    def _show_claim(self, view: present.ArticleView) -> None:
        st = view.claims[self.selected]
        runner = self.runner
        progress = runner.progress if runner.running == st.claim.experiment else None
        lines = present.detail_lines(st, total=len(view.claims), progress=progress)
        error = runner.errors.get(st.claim.experiment or "")
        if error and st.status == present.NOT_RUN:
            lines.insert(1, ("verdict", f"the last run failed: {error}"))
        app = self.app
        styles = {"head": palette.tag_style(app, "title"), "dim": palette.tag_style(app, "dim"),
                  "verdict": palette.tag_style(app, STATUS_TAGS.get(st.status, "num")), "": Style()}
        out = Text()
        for i, (key, line) in enumerate(lines):
            if i:
                out.append("\n")
            out.append(line, styles.get(key, Style()))
        self.query_one("#article-claim-text", Static).update(out)
        panel = self.query_one("#article-claim")
        panel.border_title = f"claim {self.selected + 1}/{len(view.claims)}"
        panel.border_subtitle = "enter: on the main screen" if st.runs else "nothing to run"

    def _scroll_to_selected(self, animate: bool = True) -> None:
        pi = self._para_of.get(self.selected)
        if pi is None:
            return
        widget = self.query_one(f"#para-{pi}")
        self.query_one("#article-text", VerticalScroll).scroll_to_center(widget, animate=False)

    # ------------------------------------------------------------ actions
    def action_claim(self, delta: int) -> None:
        self.select(self.selected + delta)

    def action_claim_at(self, where: int) -> None:
        self.select(0 if where <= 0 else len(present.CLAIMS) - 1)

    def select(self, index: int) -> None:
        index = max(0, min(index, len(present.CLAIMS) - 1))
        if index == self.selected:
            return
        self.selected = index
        self.relu_app.article_selected = index
        name = self._experiment()
        if self.autorun and name is not None and name not in self.runner.verdicts:
            self.runner.request([name], first=name)
        self.refresh_views()
        self._scroll_to_selected()

    def action_run_claim(self) -> None:
        name = self._experiment()
        claim = present.CLAIMS[self.selected]
        if name is None:
            self.app.notify(f"nothing to run: {claim.note}", timeout=4, markup=False)
            return
        if name in self.runner.verdicts:
            self.app.notify(f"{name} already ran at its defaults: enter runs it again on the main screen",
                            timeout=4, markup=False)
            return
        self.runner.request([name], first=name)
        self.refresh_views()

    def action_open_claim(self) -> None:
        """The claim's experiment on the main screen: its settings in the controls, its run,
        its verdict and deciding number in the claim panel."""
        claim = present.CLAIMS[self.selected]
        if claim.experiment is None:
            self.app.notify(f"claim {self.selected + 1} has no experiment: {claim.note}", timeout=5,
                            markup=False)
            return
        app = self.relu_app
        app.pop_screen()
        app.open_claim(claim.experiment)

    def action_scroll(self, delta: int) -> None:
        scroll = self.query_one("#article-text", VerticalScroll)
        scroll.scroll_relative(y=delta, animate=False)

    def action_close(self) -> None:
        self.app.pop_screen()
