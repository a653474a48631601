"""The package installs offline with pip and Debian's setuptools (the other tests do not install it)."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import CLIENT


def _have(module):
    return subprocess.run([sys.executable, "-c", "import " + module], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode == 0


@pytest.mark.skipif(not _have("pip") or not _have("setuptools"), reason="needs pip and setuptools")
def test_pip_install_offline(tmp_path):
    src = tmp_path / "python"  # a copy, so the build leaves nothing in the checkout
    shutil.copytree(CLIENT, src, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info",
                                                               "__pycache__", ".pytest_cache"))
    target = tmp_path / "site"
    env = dict(os.environ, PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
                           "--no-index", "--target", str(target), str(src)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=str(tmp_path))
    assert proc.returncode == 0, proc.stdout
    code = ("import modeldb, sys; print(modeldb.__file__); print(modeldb.__version__); "
            "print(sorted(m for m in ('numpy', 'sklearn', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(tmp_path),
                         env=dict(os.environ, PYTHONPATH=str(target)))
    assert out.returncode == 0, out.stderr
    path, version, loaded = out.stdout.splitlines()
    assert path.startswith(str(target)) and version == "0.1.0"
    assert loaded == "[]"  # standard library only at import time
