"""Loading the bundled library and the ABI check made at import."""

import subprocess
import sys
from pathlib import Path

import pytest

import ferrolog
from ferrolog import _native


def test_the_library_is_bundled_inside_the_package() -> None:
    assert _native.LIBRARY_PATH.parent == Path(ferrolog.__file__).parent
    assert _native.LIBRARY_PATH.is_file()
    assert ferrolog.__version__.count(".") == 2


def test_a_library_of_another_abi_is_refused_with_both_versions(monkeypatch: pytest.MonkeyPatch) -> None:
    found = _native.lib.ferrolog_abi_version()
    monkeypatch.setattr(_native, "EXPECTED_ABI_VERSION", found + 1)
    with pytest.raises(ImportError) as refused:
        _native.load_library()
    message = str(refused.value)
    assert f"C ABI version {found}" in message
    assert f"written for version {found + 1}" in message
    assert "reinstall" in message


def test_the_matching_abi_loads() -> None:
    assert _native.load_library().ferrolog_abi_version() == _native.EXPECTED_ABI_VERSION


def test_a_missing_library_is_an_import_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "libferrolog.so"
    with pytest.raises(ImportError, match=str(missing)):
        _native.load_library(missing)


def test_importing_ferrolog_and_its_asgi_middleware_imports_no_framework() -> None:
    program = (
        "import sys, ferrolog, ferrolog.asgi, ferrolog.context; "
        "print(sorted({'flask', 'django', 'fastapi', 'starlette'} & set(sys.modules)))"
    )
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
