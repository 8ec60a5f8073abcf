"""Builds the Rust core (release) and bundles its shared library inside the package.

Everything declarative lives in pyproject.toml; this file only adds the build step, which
runs cargo in the repository root two levels above this directory.
"""

import json
import os
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
CORE_CRATE = "ferrolog"


def build_core_library() -> Path:
    """Builds the core's release libraries and returns the cdylib cargo reports.

    `--workspace --lib` rather than `-p ferrolog`: the workspace's members unify dependency
    features, so this is the very build `make build` makes and neither invalidates the other.
    The collector has no library, so nothing more is built.
    """
    if not (REPOSITORY_ROOT / "Cargo.toml").is_file():
        raise RuntimeError(
            f"ferrolog: no Cargo.toml at {REPOSITORY_ROOT}; the package builds the Rust core "
            "and must be installed from a checkout of the repository (pip install ./bindings/python)"
        )
    cargo = os.environ.get("CARGO", "cargo")
    # The artifact messages name the library wherever CARGO_TARGET_DIR puts it.
    build = subprocess.run(
        [cargo, "build", "--release", "--workspace", "--lib", "--message-format=json-render-diagnostics"],
        cwd=REPOSITORY_ROOT,
        stdout=subprocess.PIPE,
        check=True,
        text=True,
    )
    for line in build.stdout.splitlines():
        message = json.loads(line)
        if message.get("reason") != "compiler-artifact":
            continue
        target = message["target"]
        if target["name"] == CORE_CRATE and "cdylib" in target["kind"]:
            for filename in message["filenames"]:
                if filename.endswith((".so", ".dylib")):
                    return Path(filename)
    raise RuntimeError("ferrolog: cargo built no shared library for the core")


class BuildPyWithCore(build_py):
    def run(self) -> None:
        super().run()
        library = build_core_library()
        self.copy_file(str(library), str(Path(self.build_lib) / "ferrolog" / "libferrolog.so"))


class NativeDistribution(Distribution):
    """Marks the wheel as platform-specific: it carries a compiled library."""

    def has_ext_modules(self) -> bool:
        return True


setup(cmdclass={"build_py": BuildPyWithCore}, distclass=NativeDistribution)
