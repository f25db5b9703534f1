#!/bin/sh
# The Python package's pytest suites as a meson test (python/meson.build):
# Debian's /usr/bin/python3 with pytest and numpy; exit 77 (skipped) when
# either is missing.
py=${ANIMAT_PYTHON:-/usr/bin/python3}
if ! "$py" -c 'import pytest, numpy' 2>/dev/null; then
    echo "skipped: $py lacks pytest or numpy (Debian: python3-pytest python3-numpy)"
    exit 77
fi
exec "$py" -m pytest -q -p no:cacheprovider "$ANIMAT_SRC/python/tests" "$@"
