"""Suite-wide settings: numpy floating-point problems are errors, not warnings."""

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _numpy_raises():
    old = np.seterr(over="raise", invalid="raise", divide="raise", under="ignore")
    yield
    np.seterr(**old)
