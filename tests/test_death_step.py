"""The death record names the step whose update killed the neuron, and is there as soon as that
update is applied (issue 13: it came one step late, at 200x60 only)."""

from __future__ import annotations

import numpy as np
import pytest

from relutui.training import TrainConfig, TrainingRun


def dead_now(run: TrainingRun) -> list[np.ndarray]:
    """f'(z) = 0 on every training sample, for the network as it is."""
    trace = run.trace()
    return [np.all(f.derivative(z) == 0.0, axis=0) for f, z in zip(run.net.activations[:-1], trace.z[:-1])]


@pytest.mark.parametrize("config", [
    TrainConfig(lr=5.0, seed=0),
    TrainConfig(lr=3.0, layers=(16, 16), seed=1),
])
def test_the_recorded_steps_update_is_the_one_that_moved_the_neuron_across(config):
    run = TrainingRun(config)
    run.train(300)
    killed = [(l, j) for l in range(len(config.layers))
              for j in range(config.layers[l]) if run.death.killing_update(l, j) is not None]
    assert killed, "expected a neuron killed during training"
    for l, j in killed[:4]:
        record = run.death.killing_update(l, j)
        s = record["step"]
        assert s == run.death.death_step[l][j]
        twin = TrainingRun(config)
        twin.train(s)  # the network after s updates: alive, the bias before the killing update
        assert not dead_now(twin)[l][j]
        assert twin.net.biases[l][j] == record["bias_before"]
        assert np.array_equal(twin.net.weights[l][:, j], record["w_before"])
        twin.train(1)  # step s's update, s -> s + 1: moves it across
        assert dead_now(twin)[l][j]
        assert twin.net.biases[l][j] == record["bias_after"]
        assert np.array_equal(twin.net.weights[l][:, j], record["w_after"])
        # known at once: no further step needed for the record
        assert twin.death.death_step[l][j] == s
        assert twin.death.killing_update(l, j)["step"] == s


def test_reading_the_deaths_ahead_changes_no_number_of_the_run():
    """``death`` draws the next minibatch ahead: the batches, the history and the weights stay
    the same as a run that never looks."""
    config = TrainConfig(lr=3.0, batch_size=16, seed=2)
    looked, plain = TrainingRun(config), TrainingRun(config)
    for _ in range(40):
        looked.train(1)
        looked.death  # noqa: B018 (the property settles the deaths)
    plain.train(40)
    assert np.array_equal(looked.net.flat, plain.net.flat)
    assert looked.history.to_dict() == plain.history.to_dict()
    assert all(np.array_equal(a, b) for a, b in zip(looked.death.death_step, plain.death.death_step))


def test_dead_from_init_is_known_before_the_first_step():
    run = TrainingRun(TrainConfig(bias_init=-5.0, seed=0))
    assert all((d == 0).all() for d in run.death.death_step)
    assert run.death.killing_update(0, 0) is None
