"""The claims lab's tests. ``default_results`` (every experiment's result at its defaults, run
once per suite) is in tests/conftest.py: the README's tests share it. Tests that use it are
marked ``@pytest.mark.xdist_group("experiments")``."""
