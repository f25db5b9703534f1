"""Observation and action spaces from port bounds: gymnasium.spaces.Box when
gymnasium is importable, else a small Box with the same fields."""
import numpy as np


class Box:
    """A box in R^n: shape, dtype (float64), low and high (-inf/+inf where
    unbounded), as gymnasium.spaces.Box has them."""

    def __init__(self, low, high, shape=None, dtype=np.float64, seed=None):
        self.dtype = np.dtype(dtype)
        self.low = np.array(low, dtype=self.dtype)
        self.high = np.array(high, dtype=self.dtype)
        self.shape = tuple(shape) if shape is not None else self.low.shape
        self._rng = np.random.default_rng(seed)

    def contains(self, x):
        x = np.asarray(x)
        return x.shape == self.shape and bool(np.all(x >= self.low) and np.all(x <= self.high))

    def sample(self):
        """Uniform where bounded on both sides, normal where unbounded (as gymnasium)."""
        lo = np.where(np.isfinite(self.low), self.low, -1.0)
        hi = np.where(np.isfinite(self.high), self.high, 1.0)
        bounded = np.isfinite(self.low) & np.isfinite(self.high)
        return np.where(bounded, self._rng.uniform(lo, hi, self.shape),
                        self._rng.normal(size=self.shape)).astype(self.dtype)

    def seed(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def __repr__(self):
        return f"Box({self.low.min() if self.low.size else ''}, {self.high.max() if self.high.size else ''}, " \
               f"{self.shape}, {self.dtype})"


def make_box(low, high):
    low = np.array(low, dtype=np.float64)
    high = np.array(high, dtype=np.float64)
    try:
        import gymnasium
        return gymnasium.spaces.Box(low=low, high=high, dtype=np.float64)
    except ImportError:
        return Box(low, high)
