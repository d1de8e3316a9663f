"""Training runs: config validation, determinism, bounded history, deaths, divergence."""

import math

import numpy as np
import pytest

from relutui.training import History, TrainConfig, TrainingRun, parse_layers


def test_defaults_train_visibly_with_relu():
    run = TrainingRun(TrainConfig())
    first = run.evaluate(run.dataset.X_train, run.dataset.y_train)[0]
    run.train(600)
    s = run.summary()
    assert s["loss"] < first / 3
    assert s["accuracy"] > 0.9 and s["test_accuracy"] > 0.85
    assert run.net.activations[0].name == "relu"


def test_same_seed_same_numbers_and_reset():
    a, b = TrainingRun(TrainConfig(seed=4)), TrainingRun(TrainConfig(seed=4))
    a.train(150)
    b.train(150)
    assert a.history.to_dict() == b.history.to_dict()
    assert all(np.array_equal(x, y) for x, y in zip(a.net.weights, b.net.weights))
    first = [w.copy() for w in a.net.weights]
    a.reset()
    b2 = TrainingRun(TrainConfig(seed=4))
    assert all(np.array_equal(x, y) for x, y in zip(a.net.weights, b2.net.weights))
    assert a.step == 0 and len(a.history) == 0
    a.train(150)
    assert all(np.array_equal(x, y) for x, y in zip(a.net.weights, first))


def test_minibatches_are_seeded():
    cfg = TrainConfig(batch_size=16, seed=2)
    a, b = TrainingRun(cfg), TrainingRun(cfg)
    a.train(50)
    b.train(50)
    assert a.history.to_dict() == b.history.to_dict()


def test_history_is_bounded():
    h = History(capacity=64)
    for step in range(10_000):
        if h.wants(step):
            h.append(step=step, loss=1.0, accuracy=None, test_loss=None, test_accuracy=None,
                     dead_fraction=[0.0], saturated_fraction=[0.0], grad_norm=[1.0])
    assert len(h) <= 64
    steps = h["step"]
    assert steps[0] == 0 and np.all(np.diff(steps) > 0)


def test_history_records_per_layer_figures():
    run = TrainingRun(TrainConfig(layers=(4, 3, 2)))
    run.train(20)
    h = run.history
    assert len(h["grad_norm"][0]) == 4 and len(h["dead_fraction"][0]) == 3
    assert h["step"][0] == 0 and h.last("test_loss") is not None


def test_large_negative_bias_kills_relu_neurons_and_they_stay_dead():
    run = TrainingRun(TrainConfig(bias_init=-5.0, layers=(8, 8)))
    run.train(200)
    diag = run.diagnostics()
    assert diag[0].dead_fraction == 1.0
    assert not any(r.any() for r in run.death.revived)
    assert all((d == 0).all() for d in run.death.death_step)


def test_high_learning_rate_kills_neurons_during_training():
    run = TrainingRun(TrainConfig(lr=3.0, layers=(16, 16), seed=1))
    run.train(300)
    killed = [(l, i) for l in range(2) for i in np.flatnonzero(run.death.death_step[l] > 0)]
    assert killed, "expected some neuron to die during training"
    l, i = killed[0]
    record = run.death.killing_update(l, i)
    assert record["step"] == run.death.death_step[l][i]
    assert record["w_before"].shape == record["w_after"].shape


def test_divergence_stops_and_reset_recovers():
    cfg = TrainConfig(lr=10.0, layers=(32,) * 8, init="normal", init_std=3.0, dataset="sine")
    run = TrainingRun(cfg)
    run.train(100)
    assert run.diverged and run.diverged_at is not None
    assert run.net.params_finite()
    step = run.step
    run.train(10)
    assert run.step == step
    run.reset()
    assert not run.diverged and run.step == 0


@pytest.mark.parametrize("field,value,message", [
    ("lr", 0.0, "lr must be between"),
    ("lr", -1.0, "lr must be between"),
    ("lr", float("nan"), "lr must be a finite number"),
    ("lr", float("inf"), "lr must be a finite number"),
    ("lr", "fast", "lr must be a number"),
    ("activation", "relu7", "unknown activation 'relu7'"),
    ("dataset", "mnist", "unknown dataset 'mnist'"),
    ("seed", -1, "seed must be between 0 and 4294967295, got -1"),
    ("seed", 2**40, "seed must be between"),
    ("seed", 1.5, "seed must be a whole number"),
    ("bias_init", 1e400, "bias_init must be a finite number"),
    ("optimizer", "rmsprop", "unknown optimizer"),
    ("init", "orthogonal", "unknown init"),
    ("noise", 9.0, "noise must be between"),
])
def test_config_validation_messages(field, value, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**{field: value}).validate()


@pytest.mark.parametrize("text,message", [
    ("0", "each width must be between 1 and 32"), ("-3", "each width must be between 1 and 32"),
    ("4,,4", "comma-separated sizes"), ("100", "each width must be between 1 and 32"),
    (",".join(["4"] * 50), r"depth \(hidden layers\) must be between 1 and 10"), ("a,b", "whole numbers"),
])
def test_layers_parsing(text, message):
    with pytest.raises(ValueError, match=message):
        parse_layers(text)


def test_config_round_trip():
    cfg = TrainConfig(activation="swish", layers=(4, 4), lr=0.3).validate()
    assert cfg.activation == "silu"
    assert TrainConfig.from_dict(cfg.to_dict()) == cfg
    with pytest.raises(ValueError, match="unknown setting 'colour'"):
        TrainConfig.from_dict({"colour": "red"})


def test_regression_dataset_uses_identity_output_and_mse():
    run = TrainingRun(TrainConfig(dataset="sine", lr=0.05))
    assert run.output_name == "identity" and run.loss_name == "mse"
    run.train(50)
    assert run.summary()["accuracy"] is None
    assert math.isfinite(run.summary()["loss"])


@pytest.mark.parametrize("config", [
    TrainConfig(),
    TrainConfig(dataset="sine", activation="tanh", optimizer="adam", lr=0.01, l2=0.01, clip_norm=0.5),
    TrainConfig(activation="sigmoid", batch_size=16, optimizer="momentum"),
    TrainConfig(activation="leaky_relu", loss="mse", lr=3.0, layers=(16, 16), seed=1),
    TrainConfig(bias_init=-5.0, test_fraction=0.0),
])
def test_history_batched_logging_matches_step_by_step(config):
    """Logged rows are completed in batches; one step per call completes them one by one.
    A small odd capacity makes the history halve while rows are pending."""
    batched, single = TrainingRun(config, history_capacity=37), TrainingRun(config, history_capacity=37)
    batched.train(150)
    batched.train(450)
    for _ in range(600):
        single.train(1)
    assert batched.history.to_dict() == single.history.to_dict()
    assert batched.history.stride == single.history.stride > 1
    fresh = TrainingRun(config)
    fresh.train(30)  # every step logged: the last row is run.last's, computed on its own
    assert fresh.history.last("step") == 29
    assert fresh.history.last("loss") == fresh.last.loss
    assert fresh.history.last("accuracy") == fresh.last.accuracy
    assert fresh.history.last("grad_norm") == fresh.last.grad_norms.tolist()


@pytest.mark.parametrize("config", [
    TrainConfig(lr=3.0, layers=(16, 16), seed=1),
    TrainConfig(activation="tanh", bias_init=-5.0),
    TrainConfig(activation="leaky_relu", bias_init=-3.0, lr=1.0),
    TrainConfig(),
])
def test_dead_masks_are_exact_every_step(config):
    """The cheap dead-mask path (no zero bias gradient, no dead neuron) agrees with the
    definition: f' == 0 on every sample of the batch."""
    run = TrainingRun(config)
    for _ in range(200):
        run.train(1)
        if run.diverged:
            break
        fprime = run.last.grads.backward.fprime[:-1]
        expected = np.concatenate([np.all(fp == 0.0, axis=0) for fp in fprime])
        assert np.array_equal(run._prev_dead, expected)
        assert run.history.last("dead_fraction") == [float(np.mean(fp_dead))
                                                      for fp_dead in np.split(expected, np.cumsum(config.layers)[:-1])]


def test_a_deep_copy_trains_on_identically():
    """The app steps through a deep copy of the run; it must carry on exactly as the original."""
    import copy

    run = TrainingRun(TrainConfig(lr=3.0, layers=(16, 16), seed=1))
    run.train(120)
    twin = copy.deepcopy(run)
    run.train(200)
    twin.train(200)
    assert twin.history.to_dict() == run.history.to_dict()
    assert all(np.array_equal(a, b) for a, b in zip(twin.death.death_step, run.death.death_step))
    assert np.array_equal(twin.net.flat, run.net.flat)
