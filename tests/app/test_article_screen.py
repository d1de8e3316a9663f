"""The article walk-through (issue 13): open it, go from claim to claim, run a claim's
experiment there or on the main screen; the first-run card; footer keys."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from relutui.app.app import ReluApp
from relutui.app.screens.article import ArticleScreen
from relutui.app.screens.bindings import MAIN
from relutui.app.screens.main import MainScreen
from relutui.app.widgets.notes_panel import WelcomeCard
from relutui.experiments.claims import CLAIMS, normalise
from relutui.session.present import article as present

from .conftest import SIZE

FAST = next(i for i, c in enumerate(CLAIMS) if c.experiment == "f-vs-derivative")  # ~10 ms a run
UNTESTED = next(i for i, c in enumerate(CLAIMS) if c.experiment is None)


def _app(**kw) -> ReluApp:
    app = ReluApp(**kw)
    app.article_autorun = False  # runs only when a test asks (r, enter)
    return app


def test_every_claim_is_found_in_the_article_text():
    paras, _, title = present.paragraphs()
    found = {ci: seg.text for p in paras for seg in p for ci in seg.claims}
    assert title and sorted(found) == list(range(len(CLAIMS)))
    for ci, text in found.items():
        assert normalise(CLAIMS[ci].quote) in normalise(text)


def test_statuses_before_and_after_a_verdict():
    view = present.build({})
    assert view.claims[FAST].status == present.NOT_RUN
    assert view.claims[UNTESTED].status == CLAIMS[UNTESTED].kind
    verdict = {"verdict": "does not hold", "evidence": {"deciding": {"what": "f(1)", "value": 1.0}}}
    st = present.build({"f-vs-derivative": verdict}).claims[FAST]
    assert (st.status, st.symbol, st.deciding) == ("does not hold", "✘", "f(1): 1")
    lines = present.detail_lines(st, total=len(CLAIMS))
    assert any("does not hold" in text and "f(1): 1" in text for _, text in lines)
    pair = {"verdict": "holds", "evidence": {"deciding": {"what": "accuracy", "value": {"worst_nonlinear": 0.98}}}}
    st = present.build({"f-vs-derivative": pair}).claims[FAST]
    assert st.deciding == "accuracy: worst nonlinear 0.98"  # words, not Python's keys


async def test_open_next_previous_and_bounds():
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("w")
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.selected == 0
        await pilot.press("right_square_bracket", "right_square_bracket", "pagedown")
        assert screen.selected == 3
        await pilot.press("left_square_bracket", "pageup")
        assert screen.selected == 1
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert screen.selected == 0
        await pilot.press("end")
        assert screen.selected == len(CLAIMS) - 1
        await pilot.press("right_square_bracket")
        assert screen.selected == len(CLAIMS) - 1
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("w")  # it opens again at the claim it was left on
        assert app.screen.selected == len(CLAIMS) - 1


async def test_article_text_is_plain_and_the_panel_says_not_run_yet():
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = FAST
        await pilot.press("w")
        screen = app.screen
        pi = screen._para_of[FAST]
        shown = screen.query_one(f"#para-{pi}", Static).visual
        plain = shown.plain if hasattr(shown, "plain") else str(shown)
        assert normalise(CLAIMS[FAST].quote) in normalise(plain)
        panel = str(screen.query_one("#article-claim-text", Static).visual)
        assert "not run yet" in panel and "r runs f-vs-derivative" in panel


async def test_r_runs_the_selected_claims_experiment_in_a_worker():
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = FAST
        await pilot.press("w", "r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "f-vs-derivative" in app.article_runner().verdicts
        st = present.build(app.article_runner().verdicts).claims[FAST]
        assert st.status == "does not hold"
        panel = str(app.screen.query_one("#article-claim-text", Static).visual)
        assert "does not hold" in panel


async def test_enter_loads_the_experiment_on_the_main_screen():
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = FAST
        await pilot.press("w", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.state.experiment.name == "f-vs-derivative"
        assert app.screen.has_class("-has-experiment")
        assert app.state.experiment_result is not None
        # a run at the experiment's defaults counts as the walk-through's verdict too
        assert app.article_runner().verdicts["f-vs-derivative"] == app.state.experiment_result.verdict_obj


async def test_enter_on_a_claim_nothing_tests_stays_and_says_why():
    app = _app()
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = UNTESTED
        await pilot.press("w", "enter")
        assert isinstance(app.screen, ArticleScreen)
        assert app.state.experiment is None
        panel = str(app.screen.query_one("#article-claim-text", Static).visual)
        assert CLAIMS[UNTESTED].kind in panel


async def test_autorun_runs_the_selected_claim_first_and_stops_when_closed():
    app = ReluApp()
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = FAST
        await pilot.press("w")
        runner = app.article_runner()
        await pilot.pause()
        assert runner.running == "f-vs-derivative" or "f-vs-derivative" in runner.verdicts
        await pilot.press("escape")
        assert runner.pending() == set()
        await app.workers.wait_for_complete()


def test_e_is_in_the_footer_and_w_is_a_main_screen_key():
    shown = {b.action for b in MAIN if b.show}
    assert "pick_experiment" in shown
    assert any(b.key == "w" and b.action == "app.article" for b in MAIN)


async def test_first_run_card_only_when_asked():
    app = ReluApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    app = ReluApp(welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeCard)
        from relutui.app.widgets.notes_panel import WELCOME

        assert dict(WELCOME)["e"].startswith("test the article's claims one by one")
        assert {"space", "e", "w", "?"} <= set(dict(WELCOME))
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and not app.state.playing


async def test_first_run_card_any_key_closes_it_and_acts():
    app = ReluApp(welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and app.state.playing
        assert app.welcome is False


def test_welcome_seen_is_remembered_in_the_preferences():
    from relutui.app.preferences import Preferences, dumps, parse_preferences

    prefs, problems = parse_preferences(dumps(Preferences(welcome="seen")).encode())
    assert prefs.welcome == "seen" and not problems
    prefs, problems = parse_preferences(b'welcome = "[b]x"\n')
    assert prefs.welcome is None and problems


async def test_the_card_once_dismissed_is_not_shown_in_the_next_run(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = ReluApp(preferences=True, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeCard)
        await pilot.press("x")
        await pilot.pause()
    assert 'welcome = "seen"' in (tmp_path / "relutui" / "preferences.toml").read_text(encoding="utf-8")
    app = ReluApp(preferences=True, welcome=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_two_requests_in_a_row_both_run():
    app = _app()
    pieces = next(i for i, c in enumerate(CLAIMS) if c.experiment == "linear-pieces")
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = FAST
        await pilot.press("w", "r")
        app.screen.select(pieces)
        await pilot.press("r")
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert {"f-vs-derivative", "linear-pieces"} <= set(app.article_runner().verdicts)
        assert app.article_runner().running is None


async def test_enter_trains_the_network_live_for_the_experiments_steps():
    app = _app()
    claim = next(i for i, c in enumerate(CLAIMS) if c.experiment == "nonlinearity")
    async with app.run_test(size=SIZE) as pilot:
        app.article_selected = claim
        await pilot.press("w", "enter")
        await pilot.pause()
        steps = app.state.experiment.steps
        # playing, or (a loaded machine: the pause above outlasted the live run) done already
        assert app.state.experiment.name == "nonlinearity"
        assert app.state.playing or app.state.step == steps
        for _ in range(2000):  # no time limit: until the live run has paused itself
            if not app.state.playing:
                break
            await pilot.pause(0.02)
        assert not app.state.playing and app.state.step == steps
        await app.workers.wait_for_complete()
