"""Paths for the animat pytest suites: the source tree, the CLI and the
library come from the environment meson test sets (python/meson.build),
else from a build/ folder of the checkout."""
import os
import pathlib
import sys

import pytest

SRC = pathlib.Path(os.environ.get("ANIMAT_SRC", pathlib.Path(__file__).resolve().parents[2]))
BUILD = pathlib.Path(os.environ.get("ANIMAT_BUILD", SRC / "build"))
sys.path.insert(0, str(SRC / "python"))
os.environ.setdefault("ANIMAT_LIBRARY", str(BUILD / "core" / "libanimat.so"))

SWIMMER = str(SRC / "examples" / "swimmer-ncap.yaml")
CLI = str(BUILD / "core" / "animat")


@pytest.fixture
def swimmer():
    return SWIMMER


@pytest.fixture
def cli():
    return CLI
