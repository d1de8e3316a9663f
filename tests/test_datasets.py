import pickle
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relutui.datasets import (
    DATASETS,
    MAX_ROWS,
    DataError,
    Dataset,
    load_csv,
    make_dataset,
)

CLASSIFICATION = tuple(name for name in DATASETS if name != "sine")


# -- make_dataset ------------------------------------------------------------------

@pytest.mark.parametrize("name", DATASETS)
def test_shapes_dtypes_and_split(name):
    d = make_dataset(name, n=250, test_fraction=0.2, seed=3)
    assert d.name == name
    assert d.X_train.shape == (200, 2) and d.y_train.shape == (200, 1)
    assert d.X_test.shape == (50, 2) and d.y_test.shape == (50, 1)
    for a in (d.X_train, d.y_train, d.X_test, d.y_test):
        assert a.dtype == np.float64
        assert np.all(np.isfinite(a))
    assert np.array_equal(d.X, np.concatenate([d.X_train, d.X_test]))
    assert np.array_equal(d.y, np.concatenate([d.y_train, d.y_test]))


@pytest.mark.parametrize("name", DATASETS)
def test_same_seed_same_data_other_seed_other_data(name):
    a, b = make_dataset(name, seed=7), make_dataset(name, seed=7)
    c = make_dataset(name, seed=8)
    for field in ("X_train", "y_train", "X_test", "y_test"):
        assert np.array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.X_train, c.X_train)


@pytest.mark.parametrize("name", CLASSIFICATION)
@pytest.mark.parametrize("n", [4, 5, 201])
def test_classification_labels_are_balanced_zero_one(name, n):
    d = make_dataset(name, n=n)
    assert d.task == "classification"
    assert set(np.unique(d.y)) == {0.0, 1.0}
    assert np.count_nonzero(d.y == 0.0) == n // 2


def test_sine_is_regression_of_documented_target():
    d = make_dataset("sine", n=500, noise=0.0)
    assert d.task == "regression"
    X = d.X
    assert np.allclose(d.y[:, 0], np.sin(np.pi * X[:, 0]) * np.cos(np.pi * X[:, 1] / 2))
    assert np.all(np.abs(X) <= 1.0)


@pytest.mark.parametrize("name", DATASETS)
def test_inputs_within_documented_range(name):
    assert np.all(np.abs(make_dataset(name, n=2000, noise=0.0).X) <= 3.0)


def test_noise_free_geometry():
    xor = make_dataset("xor", n=400, noise=0.0)
    assert np.array_equal(xor.y[:, 0] == 1.0, xor.X[:, 0] * xor.X[:, 1] < 0)
    assert np.all(np.abs(xor.X) >= 0.1)

    circles = make_dataset("circles", n=400, noise=0.0)
    radius = np.hypot(circles.X[:, 0], circles.X[:, 1])
    assert np.allclose(radius, np.where(circles.y[:, 0] == 1.0, 0.5, 1.0))

    linear = make_dataset("linear", n=400, noise=0.0)
    side = linear.X @ np.array([1.0, 2.0])
    assert np.array_equal(side > 0, linear.y[:, 0] == 1.0)


def test_noise_moves_points_away_from_the_clean_shape():
    clean = make_dataset("circles", n=400, noise=0.0)
    noisy = make_dataset("circles", n=400, noise=0.3)
    spread = lambda d: np.std(np.hypot(d.X[:, 0], d.X[:, 1]) - np.where(d.y[:, 0] == 1, 0.5, 1.0))
    assert spread(clean) < 1e-12 < 0.1 < spread(noisy)


@pytest.mark.parametrize(("fraction", "n_test"), [(0.0, 0), (0.2, 20), (0.29, 29), (0.9, 90)])
def test_test_fraction_split_sizes(fraction, n_test):
    d = make_dataset("moons", n=100, test_fraction=fraction)
    assert d.X_test.shape == (n_test, 2)
    assert d.X_train.shape == (100 - n_test, 2)


def test_smallest_dataset_keeps_a_training_point():
    d = make_dataset("xor", n=4, test_fraction=0.9)
    assert d.X_train.shape == (1, 2) and d.X_test.shape == (3, 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "nope"}, "unknown dataset 'nope'; choose one of xor, circles, moons, spiral, "
                           "gaussians, linear, sine"),
        ({"n": 3}, "n must be between 4 and 100000, got 3"),
        ({"n": 100_001}, "n must be between 4 and 100000, got 100001"),
        ({"n": 10.5}, "n must be an integer, got 10.5"),
        ({"noise": -0.1}, "noise must be between 0 and 5, got -0.1"),
        ({"noise": 5.5}, "noise must be between 0 and 5, got 5.5"),
        ({"noise": float("nan")}, "noise must be between 0 and 5, got nan"),
        ({"test_fraction": 0.95}, "test_fraction must be between 0 and 0.9, got 0.95"),
        ({"test_fraction": -0.1}, "test_fraction must be between 0 and 0.9, got -0.1"),
        ({"seed": -1}, "seed must be at least 0, got -1"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    kwargs = {"name": "xor", **kwargs}
    with pytest.raises(ValueError) as err:
        make_dataset(**kwargs)
    assert str(err.value) == message


def test_limits_are_accepted():
    assert make_dataset("spiral", n=100_000, noise=5.0, test_fraction=0.9).X.shape == (100_000, 2)


def test_dataset_refuses_bad_shapes():
    X, y = np.zeros((3, 2)), np.zeros((3, 1))
    with pytest.raises(ValueError, match="shapes"):
        Dataset("d", "classification", X, np.zeros(3), X, y)
    with pytest.raises(ValueError, match="task"):
        Dataset("d", "ranking", X, y, X, y)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(DATASETS),
    n=st.integers(4, 2000),
    noise=st.floats(0.0, 5.0),
    test_fraction=st.floats(0.0, 0.9),
    seed=st.integers(0, 2**32),
)
def test_property_generated_data_is_well_formed(name, n, noise, test_fraction, seed):
    d = make_dataset(name, n=n, noise=noise, test_fraction=test_fraction, seed=seed)
    assert d.X.shape == (n, 2) and d.y.shape == (n, 1)
    assert d.X_train.shape[0] >= 1
    assert d.X_test.shape[0] == int(np.floor(n * test_fraction + 1e-9))
    assert np.all(np.isfinite(d.X)) and np.all(np.isfinite(d.y))
    if d.task == "classification":
        assert np.count_nonzero(d.y == 1.0) == n - n // 2
        assert np.count_nonzero(d.y == 0.0) == n // 2


# -- load_csv ----------------------------------------------------------------------

GOOD_ROWS = "0.5,0.5,1\n-0.5,0.5,0\n0.5,-0.5,0\n-0.5,-0.5,1\n"


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def refusal(path, **kwargs) -> str:
    with pytest.raises(DataError) as err:
        load_csv(path, **kwargs)
    return str(err.value)


def test_load_classification_csv(tmp_path):
    path = write(tmp_path, "x1,x2,label\n" + GOOD_ROWS)
    d = load_csv(path, test_fraction=0.25, seed=1)
    assert d.name == "data.csv" and d.task == "classification"
    assert d.X_train.shape == (3, 2) and d.X_test.shape == (1, 2)
    assert d.X.dtype == np.float64 and d.y.dtype == np.float64
    rows = sorted(map(tuple, np.hstack([d.X, d.y])))
    assert rows == sorted([(0.5, 0.5, 1.0), (-0.5, 0.5, 0.0), (0.5, -0.5, 0.0), (-0.5, -0.5, 1.0)])


def test_columns_in_any_order_case_spaces_bom_blank_lines_and_crlf(tmp_path):
    text = "\ufeff Label , X2,x1\r\n\r\n1,2,3\r\n0,5,6\r\n\r\n1, 8 ,9\r\n0,11,12\r\n\r\n"
    d = load_csv(write(tmp_path, text), test_fraction=0.0)
    order = np.argsort(d.X[:, 0])
    assert np.array_equal(d.X[order], [[3.0, 2.0], [6.0, 5.0], [9.0, 8.0], [12.0, 11.0]])
    assert np.array_equal(d.y[order, 0], [1.0, 0.0, 1.0, 0.0])


def test_non_binary_labels_make_regression(tmp_path):
    path = write(tmp_path, "x1,x2,label\n0,0,0.5\n1,0,1\n0,1,0\n1,1,-2e-1\n")
    d = load_csv(path)
    assert d.task == "regression"
    assert sorted(d.y[:, 0]) == [-0.2, 0.0, 0.5, 1.0]


def test_csv_split_is_deterministic(tmp_path):
    data = make_dataset("moons", n=100, test_fraction=0.0)
    lines = [f"{a!r},{b!r},{c:g}" for (a, b), c in zip(data.X.tolist(), data.y[:, 0].tolist())]
    path = write(tmp_path, "x1,x2,label\n" + "\n".join(lines) + "\n")
    a, b, c = load_csv(path, seed=5), load_csv(path, seed=5), load_csv(path, seed=6)
    assert np.array_equal(a.X_train, b.X_train) and np.array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.X_train, c.X_train)
    assert a.X_test.shape == (20, 2)
    assert sorted(map(tuple, a.X)) == sorted(map(tuple, data.X))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "1: file is empty; expected a header line x1,x2,label"),
        ("\n \n\n", "1: file is empty; expected a header line x1,x2,label"),
        ("x1,x2\n0,0\n", "1: missing column 'label' in header; "
                         "expected the columns x1, x2, label (in any order)"),
        ("x1,label,y\n", "1: missing column 'x2' in header; "
                         "expected the columns x1, x2, label (in any order)"),
        ("x1,x2,label,extra\n", "1: unknown column 'extra' in header; "
                                "expected the columns x1, x2, label (in any order), nothing else"),
        ("x1,x2,x1,label\n", "1: duplicate column 'x1' in header"),
        ("x1,,x2,label\n", "1: empty column name (column 2) in header; "
                           "expected the columns x1, x2, label (in any order)"),
        ("0.5,0.5,1\n" + GOOD_ROWS, "1: header line required: "
                                    "expected the columns x1, x2, label (in any order), "
                                    "got a row of numbers"),
        ("x1,x2,label\n0,0,1\n0,1\n", "3: expected 3 cells, got 2"),
        ("x1,x2,label\n0,0,1\n0,1,0,7\n", "3: expected 3 cells, got 4"),
        ("x1,x2,label\n0,0,1\n\n0,abc,1\n", "4: column x2: 'abc' is not a number"),
        ("label,x1,x2\n1,0,0\nyes,0,1\n", "3: column label: 'yes' is not a number"),
        ("x1,x2,label\n0,,1\n", "2: empty cell in column x2"),
        ("x1,x2,label\n0,0,1\nnan,0,1\n", "3: column x1: 'nan' is not a finite number"),
        ("x1,x2,label\n0,0,1\n0,-inf,1\n", "3: column x2: '-inf' is not a finite number"),
        ("x1,x2,label\n0,0,1e999\n", "2: column label: '1e999' is not a finite number"),
        ("x1,x2,label\n" + GOOD_ROWS.replace(",0\n", ",1\n"),
         "1: label column holds only class 1; a 0/1 classification file needs both classes"),
        ("x1,x2,label\n0,0,0\n1,1,0\n2,2,0\n3,3,0\n",
         "1: label column holds only class 0; a 0/1 classification file needs both classes"),
        ("x1,x2,label\n", "1: only 0 data rows; at least 4 needed"),
        ("x1,x2,label\n0,0,1\n1,1,0\n2,2,1\n\n", "4: only 3 data rows; at least 4 needed"),
        ('x1,x2,label\n0,0,1\n"1,1,0\n', "3: malformed CSV (unexpected end of data)"),
    ],
)
def test_malformed_csv_is_refused_with_file_and_line(tmp_path, text, message):
    path = write(tmp_path, text)
    assert refusal(path) == f"{path}:{message}"


def test_missing_file_and_directory(tmp_path):
    missing = tmp_path / "absent.csv"
    assert refusal(missing) == f"{missing}:0: no such file"
    assert refusal(str(tmp_path)) == f"{tmp_path}:0: is a directory, not a CSV file"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"x1,x2,label\n0,0,1\n0,\x001,1\n", "3: binary data (NUL byte); expected a UTF-8 text CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "1: not UTF-8 text (byte 0x89); expected a UTF-8 text CSV file"),
        (b"x1,x2,label\n0,0,1\n1,\xff,0\n", "3: not UTF-8 text (byte 0xff); expected a UTF-8 text CSV file"),
        (b"x1,x2,label\n" + b"1" * 20_000, "2: line longer than 10000 bytes; not a CSV of x1, x2, label"),
    ],
)
def test_binary_files_are_refused(tmp_path, data, message):
    path = write(tmp_path, data)
    assert refusal(path) == f"{path}:{message}"


def test_data_error_is_a_value_error_with_parts_and_pickles(tmp_path):
    path = write(tmp_path, "x1,x2,label\n0,zz,1\n")
    with pytest.raises(ValueError) as err:
        load_csv(path)
    e = err.value
    assert isinstance(e, DataError)
    assert (e.path, e.line, e.reason) == (str(path), 2, "column x2: 'zz' is not a number")
    assert str(pickle.loads(pickle.dumps(e))) == str(e)


def test_argument_errors_come_before_reading(tmp_path):
    with pytest.raises(ValueError, match="test_fraction must be between 0 and 0.9"):
        load_csv(tmp_path / "absent.csv", test_fraction=1.0)


def test_exactly_the_row_limit_loads(tmp_path):
    path = write(tmp_path, "x1,x2,label\n" + "0.5,0.25,1\n-0.5,0.75,0\n" * (MAX_ROWS // 2))
    d = load_csv(path)
    assert d.X.shape == (MAX_ROWS, 2) and d.task == "classification"


def test_a_million_rows_are_refused_quickly(tmp_path):
    path = write(tmp_path, "x1,x2,label\n" + "0.5,0.25,1\n-0.5,0.75,0\n" * 500_000)
    start = time.perf_counter()
    message = refusal(path)
    elapsed = time.perf_counter() - start
    assert message == f"{path}:100002: more than 100000 data rows (the limit is 100000)"
    assert elapsed < 3.0


@settings(max_examples=30, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.sampled_from([0.0, 1.0])),
        min_size=4, max_size=50,
    ).filter(lambda rows: len({r[2] for r in rows}) == 2),
    seed=st.integers(0, 1000),
)
def test_property_csv_round_trip(tmp_path_factory, rows, seed):
    path = tmp_path_factory.mktemp("csv") / "rt.csv"
    path.write_text("x1,x2,label\n" + "".join(f"{a!r},{b!r},{c:g}\n" for a, b, c in rows))
    d = load_csv(path, seed=seed)
    assert d.task == "classification"
    assert sorted(map(tuple, np.hstack([d.X, d.y]))) == sorted(rows)
