"""Grid helpers: the lattices users build are the ones the map panel accepts, and bad ones say how to fix them."""
from __future__ import annotations

import numpy as np
import pytest

from animate.errors import RecordingError, RenderError
from animate.grids import lattice, lattice_axes, line


def test_line_is_a_column_of_evenly_spaced_inputs():
    grid = line(-2, 3, points=11)
    assert grid.shape == (11, 1)
    np.testing.assert_allclose(grid[:, 0], np.linspace(-2, 3, 11))
    assert line(0, 1).shape == (200, 1)


def test_lattice_varies_x_fastest():
    grid = lattice((0, 1), (10, 12), points=(2, 3))
    np.testing.assert_array_equal(grid, [[0, 10], [1, 10], [0, 11], [1, 11], [0, 12], [1, 12]])
    assert lattice((-1, 1), (-1, 1)).shape == (61 * 61, 2)


def test_lattice_over_two_of_several_features_holds_the_others():
    grid = lattice((0, 1), (0, 2), points=3, features=4, axes=(2, 0), hold={1: 5.0, 3: -1.0})
    assert grid.shape == (9, 4)
    np.testing.assert_array_equal(grid[:, 1], 5.0)
    np.testing.assert_array_equal(grid[:, 3], -1.0)
    np.testing.assert_allclose(grid[:3, 2], [0, 0.5, 1])  # axes[0] is x: fastest
    np.testing.assert_allclose(grid[::3, 0], [0, 1, 2])
    assert np.all(lattice((0, 1), (0, 1), 3, features=3)[:, 2] == 0)  # default hold
    np.testing.assert_array_equal(lattice((0, 1), (0, 1), 3, features=3, hold=[9, 9, 7])[:, 2], 7)
    np.testing.assert_array_equal(lattice((0, 1), (0, 1), 3, features=3, axes=(1, 2), hold=2.5)[:, 0], 2.5)


@pytest.mark.parametrize("call, message", [
    (lambda: line(1, 1), "low < high"),
    (lambda: line(0, np.inf), "finite"),
    (lambda: line(0, 1, points=1), "points must be an integer of at least 2, got 1"),
    (lambda: line(0, 1, points=2.5), "points must be an integer"),
    (lambda: lattice((1, 0), (0, 1)), "x_range must be finite with low < high, got \\(1, 0\\)"),
    (lambda: lattice((0, 1), (0,)), "y_range must be a \\(low, high\\) pair"),
    (lambda: lattice((0, 1), (0, 1), points=(3, 4, 5)), "points must be one count or an \\(x, y\\) pair"),
    (lambda: lattice((0, 1), (0, 1), features=1), "features must be an integer of at least 2"),
    (lambda: lattice((0, 1), (0, 1), features=3, axes=(1, 1)), "axes must be two different features from 0 to 2"),
    (lambda: lattice((0, 1), (0, 1), features=3, axes=(0, 3)), "axes must be two different features"),
    (lambda: lattice((0, 1), (0, 1), features=3, hold=[1, 2]), "hold must be one number, 3 numbers"),
    (lambda: lattice((0, 1), (0, 1), features=3, hold={5: 1}), "hold names feature 5; features go from 0 to 2"),
    (lambda: lattice((0, 1), (0, 1), features=3, hold=np.nan), "hold values must be finite"),
])
def test_bad_lattices_are_refused_in_one_line(call, message):
    with pytest.raises(RecordingError, match=message) as caught:
        call()
    assert "\n" not in str(caught.value)


def test_lattice_axes_of_a_built_lattice():
    grid = lattice((0, 1), (0, 2), points=(4, 3), features=3, axes=(0, 1))
    xs, ys, order = lattice_axes(grid, (0, 1))
    np.testing.assert_allclose(xs, np.linspace(0, 1, 4))
    np.testing.assert_allclose(ys, [0, 1, 2])
    np.testing.assert_array_equal(order, np.arange(12))  # already in image order


def test_lattice_axes_orders_shuffled_rows_into_an_image():
    grid = lattice((0, 3), (0, 2), points=(4, 3))
    shuffled = np.random.default_rng(0).permutation(len(grid))
    values = grid[:, 0] + 10 * grid[:, 1]  # a function of the point, so the image can be checked
    xs, ys, order = lattice_axes(grid[shuffled], (0, 1))
    image = values[shuffled][order].reshape(len(ys), len(xs))
    np.testing.assert_allclose(image, xs[None, :] + 10 * ys[:, None])
    np.testing.assert_array_equal(order, np.lexsort((grid[shuffled, 0], grid[shuffled, 1])))


def test_lattice_axes_with_swapped_features():
    grid = lattice((0, 1), (5, 6), points=(3, 2), features=2, axes=(1, 0))
    xs, ys, order = lattice_axes(grid, (1, 0))
    np.testing.assert_allclose(xs, [0, 0.5, 1])
    np.testing.assert_allclose(ys, [5, 6])


def test_the_classifier_lessons_grid_is_a_lattice():
    axis = np.linspace(-3.5, 3.5, 61)
    weight, height = np.meshgrid(axis, axis)
    grid = np.stack([weight.ravel(), height.ravel(), np.zeros(weight.size)], axis=1).astype(np.float32)
    xs, ys, _ = lattice_axes(grid, [0, 1])  # view["map_axes"] comes from JSON as a list
    assert len(xs) == len(ys) == 61


@pytest.mark.parametrize("grid, reason", [
    (np.delete(lattice((0, 1), (0, 1), 3), 4, axis=0), "8 rows, but 3 values of feature 0 × 3 of feature 1 = 9"),
    (np.concatenate([lattice((0, 1), (0, 1), 2), [[0.0, 0.0]]]), "pairs, each needed once"),
    (lattice((0, 1), (0, 1), 3) ** 2, "feature 0 is not evenly spaced"),
    (np.column_stack([lattice((0, 1), (0, 1), 3), np.arange(9.0)]), "feature 2 varies from 0 to 8"),
    (line(0, 1, 5).repeat(2, axis=1), "1 value\\(s\\) of feature 0|pairs"),
    (np.where(np.eye(4, 2) == 1, np.nan, lattice((0, 1), (0, 1), 2)), "NaN"),
])
def test_a_grid_that_is_not_a_lattice_says_how_to_build_one(grid, reason):
    with pytest.raises(RenderError, match=reason) as caught:
        lattice_axes(grid, (0, 1))
    message = str(caught.value)
    assert message.startswith("grid is not a lattice over features 0 and 1 (")
    assert "build one with animate.grids.lattice(" in message and "\n" not in message


def test_not_a_lattice_message_names_the_features_to_pass():
    grid = np.column_stack([lattice((0, 1), (0, 1), 3), np.arange(9.0)])
    with pytest.raises(RenderError, match=r"lattice\(x_range, y_range, points, features=3, axes=\(2, 0\)\)"):
        lattice_axes(grid, (2, 0))


@pytest.mark.parametrize("grid, axes, message", [
    (line(0, 1), (0, 1), "axes must be two different features from 0 to 0"),
    (lattice((0, 1), (0, 1)), (0, 0), "axes must be two different features"),
    (lattice((0, 1), (0, 1)), (0,), "axes must be a pair"),
    (np.zeros(5), (0, 1), "grid must be a numeric \\(G, D\\) array"),
])
def test_lattice_axes_refuses_bad_arguments(grid, axes, message):
    with pytest.raises(RenderError, match=message):
        lattice_axes(grid, axes)
