"""Compare relutui's activations and derivatives with PyTorch autograd.

A developer check, not a test: PyTorch is not a dependency. Run it in an
environment that has torch (``pip install torch``) and relutui::

    python tools/check_against_torch.py
"""

import numpy as np
import torch
import torch.nn.functional as F

from relutui.activations import ACTIVATIONS, get_activation

TORCH = {
    "identity": lambda x: x,
    "step": lambda x: torch.heaviside(x, torch.zeros_like(x)),
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": F.leaky_relu,
    "relu6": F.relu6,
    "elu": F.elu,
    "selu": F.selu,
    "celu": F.celu,
    "gelu": F.gelu,
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
    "silu": F.silu,
    "mish": F.mish,
    "softplus": F.softplus,
    "softsign": F.softsign,
    "hardsigmoid": F.hardsigmoid,
    "hardtanh": F.hardtanh,
    "hardswish": F.hardswish,
}


def main() -> int:
    grid = np.concatenate([np.linspace(-12, 12, 4801), [-1000.0, -30, -6, -3, -1, 0, 1, 3, 6, 20, 30, 1000]])
    worst = 0.0
    for name in ACTIVATIONS:
        act = get_activation(name)
        xt = torch.tensor(grid, dtype=torch.float64, requires_grad=name != "step")
        yt = TORCH[name](xt)
        if name == "step":
            dt = np.zeros_like(grid)
        else:
            (dt,) = torch.autograd.grad(yt.sum(), xt)
            dt = dt.numpy()
        y = act(grid)
        d = act.derivative(grid)
        ey = np.max(np.abs(y - yt.detach().numpy()) / np.maximum(1.0, np.abs(y)))
        ed = np.max(np.abs(d - dt) / np.maximum(1.0, np.abs(d)))
        worst = max(worst, ey, ed)
        kinks = {k: float(dt[grid == k][0]) for k in act.kinks if np.any(grid == k)}
        ours = dict(zip(act.kinks, act.kink_derivatives))
        flag = "" if all(abs(kinks[k] - ours[k]) < 1e-12 for k in kinks) else "  <-- KINK MISMATCH"
        print(f"{name:12s} f err {ey:.1e}  f' err {ed:.1e}  torch at kinks {kinks}  ours {ours}{flag}")
    print(f"worst relative error {worst:.1e}")
    # 1e-8, not 1e-15: torch's hardsigmoid backward multiplies by a float32 1/6 (error 5e-9).
    return 0 if worst < 1e-8 else 1


if __name__ == "__main__":
    raise SystemExit(main())
