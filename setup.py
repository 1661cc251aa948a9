"""Build hook: the wheel carries the shipped model and corpus inside the package.

Everything else about the package is in pyproject.toml. ``pip install .`` (or a wheel that
pipx installs) copies ``models/default`` and ``corpora/default`` into
``callreview/_shipped/``, where :mod:`callreview.locations` finds them; an editable install
reads them from the checkout instead.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = (("models/default", "callreview/_shipped/models/default"),
           ("corpora/default", "callreview/_shipped/corpora/default"))


class BuildWithShipped(build_py):
    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for src, dst in SHIPPED:
            if (ROOT / src).is_dir():
                shutil.copytree(ROOT / src, Path(self.build_lib) / dst, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithShipped})
