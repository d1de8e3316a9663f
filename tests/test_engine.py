"""The MLP engine: shapes, exact gradients, losses, optimisers, divergence, determinism."""

import numpy as np
import pytest

from relutui.engine import MLP, SGD, Adam, make_optimizer, train_step

RNG = np.random.default_rng(7)
X = RNG.standard_normal((11, 3))
Y01 = (RNG.random((11, 1)) > 0.5).astype(np.float64)
YREAL = RNG.standard_normal((11, 1))


def numeric_gradients(net, X, y, loss, h=1e-6):
    out_w, out_b = [], []
    for params, out in ((net.weights, out_w), (net.biases, out_b)):
        for P in params:
            G = np.zeros_like(P)
            for i in np.ndindex(P.shape):
                old = P[i]
                P[i] = old + h
                lp = net.loss(X, y, loss)
                P[i] = old - h
                lm = net.loss(X, y, loss)
                P[i] = old
                G[i] = (lp - lm) / (2 * h)
            out.append(G)
    return out_w, out_b


CASES = [
    (hidden, output, loss, sizes)
    for hidden in ("relu", "sigmoid", "tanh", "leaky_relu", "elu", "gelu", "silu", "softplus")
    for output, loss in (("sigmoid", "bce"), ("identity", "mse"), ("sigmoid", "mse"), ("tanh", "mse"))
    for sizes in ((3, 1), (3, 4, 1), (3, 5, 4, 3, 1))
]


@pytest.mark.parametrize("hidden,output,loss,sizes", CASES)
def test_gradients_match_finite_differences(hidden, output, loss, sizes):
    net = MLP(sizes, hidden=hidden, output=output, seed=3, bias_init=0.05)
    y = Y01 if loss == "bce" else YREAL
    _, grads = net.loss_and_gradients(X, y, loss)
    nw, nb = numeric_gradients(net, X, y, loss)
    for g, n in zip(grads.weights + grads.biases, nw + nb):
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-8)


def test_mixed_hidden_activations_gradients():
    net = MLP((3, 4, 4, 1), hidden=["relu", "tanh"], output="sigmoid", seed=1)
    assert [a.name for a in net.activations] == ["relu", "tanh", "sigmoid"]
    _, grads = net.loss_and_gradients(X, Y01, "bce")
    nw, nb = numeric_gradients(net, X, Y01, "bce")
    for g, n in zip(grads.weights + grads.biases, nw + nb):
        np.testing.assert_allclose(g, n, rtol=1e-5, atol=1e-8)


def test_trace_shapes_and_layer_equation():
    net = MLP((3, 6, 5, 1), seed=0)
    t = net.forward(X)
    assert [w.shape for w in net.weights] == [(3, 6), (6, 5), (5, 1)]
    assert [z.shape for z in t.z] == [(11, 6), (11, 5), (11, 1)]
    np.testing.assert_allclose(t.z[1], t.a[0] @ net.weights[1] + net.biases[1])
    np.testing.assert_allclose(t.a[1], np.maximum(t.z[1], 0))
    _, g = net.loss_and_gradients(X, Y01)
    b = g.backward
    assert [d.shape for d in b.dz] == [(11, 6), (11, 5), (11, 1)]
    np.testing.assert_allclose(b.dz[1], b.da[1] * b.fprime[1])
    np.testing.assert_allclose(b.da[0], b.dz[1] @ net.weights[1].T)
    assert g.norms().shape == (3,)


def test_losses_follow_pytorch_conventions():
    w = [np.array([[0.5], [-1.0], [2.0]])]
    b = [np.array([0.1])]
    net = MLP.from_params(w, b, output="sigmoid")
    z = X @ w[0] + b[0]
    p = 1 / (1 + np.exp(-z))
    bce = -np.mean(Y01 * np.log(p) + (1 - Y01) * np.log(1 - p))
    assert net.loss(X, Y01, "bce") == pytest.approx(bce, rel=1e-12)
    assert net.loss(X, Y01, "mse") == pytest.approx(np.mean((p - Y01) ** 2), rel=1e-12)


def test_bce_from_logits_is_finite_when_saturated():
    net = MLP.from_params([np.array([[1000.0]])], [np.array([0.0])], output="sigmoid")
    x = np.array([[1.0], [-1.0]])
    y = np.array([[0.0], [1.0]])
    loss, g = net.loss_and_gradients(x, y, "bce")
    assert loss == pytest.approx(1000.0)
    assert g.finite()


def test_from_params_validates_shapes():
    with pytest.raises(ValueError, match="fan_in"):
        MLP.from_params([np.ones((2, 3)), np.ones((4, 1))], [np.zeros(3), np.zeros(1)])
    with pytest.raises(ValueError, match="bias"):
        MLP.from_params([np.ones((2, 3))], [np.zeros(2)])


@pytest.mark.parametrize("init", ["he", "xavier", "normal", "zeros"])
def test_init_schemes(init):
    net = MLP((200, 300, 1), init=init, init_std=0.3, seed=0)
    w = net.weights[0]
    expected = {"he": np.sqrt(2 / 200), "xavier": np.sqrt(6 / 500) / np.sqrt(3), "normal": 0.3, "zeros": 0.0}
    assert w.std() == pytest.approx(expected[init], rel=0.02, abs=1e-12)


def test_bias_init_only_hidden():
    net = MLP((2, 4, 4, 1), bias_init=-3.0)
    assert np.all(net.biases[0] == -3.0) and np.all(net.biases[1] == -3.0)
    assert np.all(net.biases[2] == 0.0)


def test_determinism_by_seed():
    a, b, c = MLP((2, 8, 8, 1), seed=5), MLP((2, 8, 8, 1), seed=5), MLP((2, 8, 8, 1), seed=6)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


@pytest.mark.parametrize("opt", ["sgd", "momentum", "adam"])
def test_optimisers_reduce_loss(opt):
    net = MLP((3, 8, 1), hidden="tanh", seed=0)
    optimizer = make_optimizer(opt, 0.05)
    first = train_step(net, X, Y01, optimizer).loss
    for _ in range(200):
        last = train_step(net, X, Y01, optimizer)
    assert last.loss < first and not last.diverged
    assert last.accuracy is not None and 0 <= last.accuracy <= 1


def test_sgd_step_is_lr_times_gradient():
    net = MLP((3, 4, 1), seed=0)
    before = [w.copy() for w in net.weights]
    _, g = net.loss_and_gradients(X, Y01)
    train_step(net, X, Y01, SGD(0.5))
    for w0, w1, gw in zip(before, net.weights, g.weights):
        np.testing.assert_allclose(w1, w0 - 0.5 * gw)


def test_adam_first_step_moves_each_weight_by_lr():
    net = MLP((3, 4, 1), seed=0)
    before = [w.copy() for w in net.weights]
    train_step(net, X, Y01, Adam(0.01))
    for w0, w1 in zip(before, net.weights):
        moved = np.abs(w1 - w0)
        assert np.allclose(moved[moved > 0], 0.01, rtol=1e-4)


def test_gradient_clipping_bounds_global_norm():
    net = MLP((3, 4, 1), init="normal", init_std=5.0, seed=0)
    before = [w.copy() for w in net.weights] + [b.copy() for b in net.biases]
    train_step(net, X, Y01, SGD(1.0), clip_norm=0.1)
    after = net.weights + net.biases
    step = np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(after, before)))
    assert step <= 0.1 + 1e-9


def test_l2_adds_weight_decay():
    net = MLP((3, 4, 1), seed=0)
    ref = net.copy()
    train_step(net, X, Y01, SGD(0.1), l2=0.5)
    _, g = ref.loss_and_gradients(X, Y01)
    np.testing.assert_allclose(net.weights[0], ref.weights[0] - 0.1 * (g.weights[0] + 0.5 * ref.weights[0]))
    np.testing.assert_allclose(net.biases[0], ref.biases[0] - 0.1 * g.biases[0])


def test_divergence_is_reported_and_freezes_the_net():
    net = MLP((2, 32, 32, 32, 32, 32, 1), hidden="relu", output="identity", init="normal",
              init_std=8.0, seed=0)
    x = np.random.default_rng(0).standard_normal((50, 2)) * 100
    y = np.ones((50, 1))
    opt = SGD(10.0)
    diverged = None
    for i in range(50):
        r = train_step(net, x, y, opt, loss="mse")
        if r.diverged:
            diverged = i
            break
    assert diverged is not None
    assert net.params_finite()
    frozen = [w.copy() for w in net.weights]
    assert train_step(net, x, y, opt, loss="mse").diverged
    assert all(np.array_equal(a, b) for a, b in zip(frozen, net.weights))


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown init"):
        MLP((2, 1), init="glorot")
    with pytest.raises(ValueError, match="unknown optimizer"):
        make_optimizer("rmsprop", 0.1)
    with pytest.raises(ValueError, match="learning rate"):
        make_optimizer("sgd", 0.0)
    with pytest.raises(ValueError, match="unknown loss"):
        MLP((3, 1)).loss_and_gradients(X, Y01, "hinge")
    with pytest.raises(ValueError, match="hidden activations"):
        MLP((2, 3, 3, 1), hidden=["relu"])


def test_derivative_at_kink_reaches_hidden_layers():
    net = MLP((2, 3, 1), derivative_at_kink=0.5)
    assert net.activations[0].derivative_at_kink == 0.5
    assert net.activations[-1].derivative_at_kink is None


# ------------------------------------------------------------------ fast paths, bit for bit
@pytest.mark.parametrize("n", [1, 2, 5, 160, 200, 1000])
def test_dot_is_matmul_bit_for_bit(n):
    """The engine multiplies with np.dot (less overhead than @): same BLAS calls, same bits."""
    rng = np.random.default_rng(n)
    for i, o in ((1, 1), (2, 8), (8, 8), (8, 1), (3, 32), (32, 7)):
        a, W, dz = rng.standard_normal((n, i)), rng.standard_normal((i, o)), rng.standard_normal((n, o))
        gW, gb = np.empty((i, o)), np.empty(o)
        assert np.array_equal(np.dot(a, W), a @ W)
        assert np.array_equal(np.dot(a.T, dz, out=gW), a.T @ dz)
        assert np.array_equal(np.dot(np.ones(n), dz, out=gb), np.ones(n) @ dz)
        assert np.array_equal(np.dot(dz, W.T), dz @ W.T)


@pytest.mark.parametrize("output,loss", [("sigmoid", "bce"), ("tanh", "bce"), ("identity", "mse"),
                                         ("sigmoid", "mse")])
def test_batched_loss_and_accuracy_match_one_batch_at_a_time(output, loss):
    from relutui.engine import ForwardTrace, accuracies, accuracy

    rng = np.random.default_rng(3)
    net = MLP((2, 3, 1), output=output)
    z = rng.standard_normal((6, 50, 1)) * np.array([1e-3, 1.0, 30.0, 800.0, 1e6, 1e300])[:, None, None]
    z[1, :3, 0] = [np.inf, -np.inf, np.nan]
    with np.errstate(all="ignore"):
        a = net.activations[-1](z)
        y = (rng.random(z.shape) > 0.5).astype(np.float64) if loss == "bce" else rng.standard_normal(z.shape)
        batched = net._loss_values(z, a, y, loss)
        for k in range(len(z)):
            one = net._loss_value(ForwardTrace(x=None, z=[z[k].copy()], a=[a[k].copy()]), y[k].copy(), loss)
            assert np.array_equal(batched[k], one, equal_nan=True)
    assert accuracies(a, y).tolist() == [accuracy(a[k], y[k]) for k in range(len(z))]


def test_output_layer_backward_is_filled_in_on_demand():
    """BCE from the logits needs neither dL/da nor f'(z) of the output: they come on first use."""
    net = MLP((3, 4, 1), hidden="tanh", output="sigmoid", seed=2)
    result = train_step(net, X, Y01, make_optimizer("sgd", 0.1))
    bw = result.grads.backward
    fp = net.activations[-1].derivative(result.trace.z[-1])
    assert np.array_equal(bw.fprime[-1], fp)
    assert np.array_equal(bw.da[-1], bw.dz[-1] / fp)
    assert len(bw.hidden_fprime()) == 1


def test_step_result_raw_gradients_are_before_decay_and_clipping():
    from relutui.engine import _frobenius, frobenius_rows

    net = MLP((3, 4, 1), seed=1)
    plain = train_step(net.copy(), X, Y01, make_optimizer("sgd", 0.1))
    result = train_step(net, X, Y01, make_optimizer("sgd", 0.1), l2=0.5, clip_norm=1e-3)
    assert np.array_equal(result.raw_grad_flat, plain.grads.flat)
    assert result.grads.flat is not result.raw_grad_flat
    assert np.array_equal(frobenius_rows([result.raw_weight_grads])[0], _frobenius(plain.grads.weights))
    assert np.array_equal(result.grad_norms, plain.grad_norms)
