"""animat from Python: experiments, Gymnasium-style environments and vectors
of them over libanimat.so (docs/python.md).

    import animat
    env = animat.Env("examples/swimmer-ncap.yaml", agent="circuit")
    obs, info = env.reset(seed=1)
"""
from ._errors import Error, InputError, StateError, PluginError, UnsupportedError, ClosedError, OutOfMemoryError
from ._spaces import Box
from ._experiment import Experiment
from ._env import Env, VectorEnv
from ._recording import Recording
from ._gym import register_envs

__all__ = ["Error", "InputError", "StateError", "PluginError", "UnsupportedError", "ClosedError", "OutOfMemoryError",
           "Box",
           "Experiment", "Env", "VectorEnv", "Recording", "library_path",
           "register_envs"]


def library_path():
    """The path of the libanimat.so this package uses."""
    from ._experiment import _library
    return _library()[1]


register_envs()  # animat/<example>-v0 ids, when gymnasium is importable (docs/python.md)
