"""Gymnasium registration: ids animat/<example>-v0 for the shipped examples
whose graph has a circuit the program can play (no learner: block).

gymnasium.register(id=, entry_point=, kwargs=, max_episode_steps=) as
Gymnasium documents it; gymnasium.make("animat/swimmer-ncap-v0") then calls
make_env(path=..., agent=...) (plus render_mode= when asked). make_env
returns an Env that is also a gymnasium.Env (gymnasium.make's wrappers
require one). max_episode_steps is None: the environments truncate
themselves at the body's time limit or run.max_steps (truncated=True), so
no TimeLimit wrapper is needed."""
import pathlib

ENTRY_POINT = "animat._gym:make_env"

# Example file (examples/NAME.yaml) -> the circuit instance the program plays.
EXAMPLES = {
    "hexapod-cpg": "circuit",
    "lamprey-cpg": "circuit",
    "mjcf-swimmer-ncap": "circuit",
    "reacher2-mlp": "circuit",
    "swimmer-c302": "circuit",
    "swimmer-mlp": "circuit",
    "swimmer-ncap": "circuit",
    "swimmer-ncap-silence": "ncap",
    "worm-chemotaxis": "steer",
    "worm-ncap": "circuit",
    "zebrafish-cpg": "circuit",
}

_CLASSES = {}


def examples_dir():
    """The checkout's examples/ beside python/ (the examples are not installed)."""
    return pathlib.Path(__file__).resolve().parent.parent.parent / "examples"


def _gym_class(gymnasium):
    """animat.Env that is also gymnasium.Env (one class per gymnasium module)."""
    from ._env import Env
    key = id(gymnasium)
    if key not in _CLASSES:
        _CLASSES[key] = type("GymnasiumEnv", (Env, gymnasium.Env), {"__module__": __name__})
    return _CLASSES[key]


def make_env(path, agent="circuit", **kwargs):
    """The registered entry point: animat.Env(path, agent, **kwargs), a gymnasium.Env too."""
    import gymnasium
    return _gym_class(gymnasium)(path, agent, **kwargs)


def register_envs(gymnasium=None):
    """Register animat/<example>-v0 for every shipped example in EXAMPLES found
    beside the package; returns the ids. Without gymnasium importable (and
    none given): nothing, []. An id already in gymnasium's registry is kept."""
    if gymnasium is None:
        try:
            import gymnasium
        except ImportError:
            return []
    registry = getattr(gymnasium, "registry", {})
    ids = []
    for name, agent in EXAMPLES.items():
        path = examples_dir() / f"{name}.yaml"
        env_id = f"animat/{name}-v0"
        if not path.is_file():
            continue
        if env_id not in registry:
            gymnasium.register(id=env_id, entry_point=ENTRY_POINT, kwargs={"path": str(path), "agent": agent},
                               max_episode_steps=None)
        ids.append(env_id)
    return ids
