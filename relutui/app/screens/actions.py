"""Actions shared by the main and compare screens: each one is a state intention."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from relutui.app.app import ReluApp


class SharedActions:
    """Mixed into screens; every action goes through ``app.intent`` (errors become notices)."""

    @property
    def relu_app(self) -> "ReluApp":
        return self.app  # type: ignore[attr-defined,return-value]

    @property
    def state(self):
        return self.relu_app.state

    def action_toggle_play(self) -> None:
        self.relu_app.intent(self.state.toggle_play)

    def action_full_step(self) -> None:
        self.relu_app.intent(self.state.full_step)

    def action_reset(self) -> None:
        if self.relu_app.intent(self.state.reset) is None:
            self.relu_app.notify(f"reset: same seed {self.state.config.seed}, step 0", timeout=2)

    def action_speed(self, delta: int) -> None:
        if self.relu_app.intent(self.state.speed_step, delta) is None:
            self.relu_app.notify(f"speed ×{self.state.speed} steps per frame", timeout=1.5)

    def action_lr(self, delta: int) -> None:
        self.relu_app.intent(self.state.lr_step, delta)

    def action_bias(self, delta: int) -> None:
        self.relu_app.intent(self.state.bias_step, delta)

    def action_activation(self, delta: int) -> None:
        self.relu_app.intent(self.state.cycle_activation, delta)

    def action_compare_activation(self, delta: int) -> None:
        self.relu_app.intent(self.state.cycle_compare_activation, delta)

    def action_dataset(self, delta: int) -> None:
        self.relu_app.intent(self.state.cycle_dataset, delta)

    def action_compare(self) -> None:
        self.relu_app.toggle_compare()

    def action_pick_experiment(self) -> None:
        self.relu_app.pick_experiment()

    def action_rerun_experiment(self) -> None:
        self.relu_app.run_experiment()

    def action_close_experiment(self) -> None:
        self.relu_app.intent(self.state.dismiss_experiment)

    def action_toggle_notes(self) -> None:
        self.relu_app.intent(self.state.toggle_notes)
