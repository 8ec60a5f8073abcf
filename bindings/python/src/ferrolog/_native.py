"""The bundled core library: loading, the ABI check, the C types and every prototype used."""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from ctypes import (
    CFUNCTYPE,
    POINTER,
    Structure,
    c_bool,
    c_char,
    c_char_p,
    c_double,
    c_int32,
    c_size_t,
    c_uint8,
    c_uint32,
    c_uint64,
    c_void_p,
)
from pathlib import Path

# The ABI this package was written for (FERROLOG_ABI_VERSION in include/ferrolog.h).
EXPECTED_ABI_VERSION = 1

LIBRARY_PATH = Path(__file__).with_name("libferrolog.so")


class Str(Structure):
    """ferrolog_str: (ptr, len) UTF-8; the struct keeps its bytes alive."""

    _fields_ = [("ptr", c_char_p), ("len", c_size_t)]


class Frame(Structure):
    _fields_ = [("function", Str), ("module", Str), ("line", c_uint32)]


class Cause(Structure):
    _fields_ = [("error_type", Str), ("message", Str)]


class Reading(Structure):
    _fields_ = [("name", Str), ("value", c_double), ("unit", Str)]


class Header(Structure):
    _fields_ = [("name", Str), ("value", Str)]


def to_str(text: str) -> Str:
    data = text.encode("utf-8")
    return Str(data, len(data))


handle = c_void_p
out_handle = POINTER(c_void_p)
result = c_int32
size_out = POINTER(c_size_t)

# ferrolog_before_send: (userdata, entry, json, json_len) -> ferrolog_result.
BeforeSendFunction = CFUNCTYPE(c_int32, c_void_p, c_void_p, POINTER(c_char), c_size_t)

_PROTOTYPES: dict[str, tuple[object, list[object]]] = {
    "ferrolog_abi_version": (c_uint32, []),
    "ferrolog_version": (c_char_p, []),
    "ferrolog_result_str": (c_char_p, [c_int32]),
    "ferrolog_fork_prepare": (None, []),
    "ferrolog_fork_parent": (None, []),
    "ferrolog_fork_child": (None, []),
    "ferrolog_level_from_name": (result, [c_char_p, c_size_t, POINTER(c_int32)]),
    "ferrolog_error_message": (c_char_p, [handle]),
    "ferrolog_error_free": (None, [handle]),
    "ferrolog_config_new": (result, [out_handle]),
    "ferrolog_config_set": (result, [handle, c_char_p, c_size_t, c_char_p, c_size_t, out_handle]),
    "ferrolog_config_apply_env": (result, [handle, out_handle]),
    "ferrolog_config_set_before_send": (result, [handle, c_uint8, BeforeSendFunction, c_void_p]),
    "ferrolog_hook_entry_replace": (result, [handle, c_char_p, c_size_t]),
    "ferrolog_config_free": (None, [handle]),
    "ferrolog_client_new": (result, [handle, out_handle, out_handle]),
    "ferrolog_client_logger": (result, [handle, out_handle]),
    "ferrolog_client_flush": (result, [handle, c_uint64, POINTER(c_uint64)]),
    "ferrolog_client_shutdown": (result, [handle, c_uint64, POINTER(c_uint64)]),
    "ferrolog_client_stats": (result, [handle, out_handle]),
    "ferrolog_client_free": (None, [handle]),
    "ferrolog_stats_json": (result, [handle, c_char_p, c_size_t, size_out]),
    "ferrolog_stats_free": (None, [handle]),
    "ferrolog_generate_trace_id": (result, [c_char_p, c_size_t, size_out]),
    "ferrolog_trace_id_from_headers": (
        result,
        [POINTER(Header), c_size_t, c_char_p, c_size_t, size_out],
    ),
    "ferrolog_logger_child": (result, [handle, c_char_p, c_size_t, out_handle]),
    "ferrolog_logger_free": (None, [handle]),
    "ferrolog_logger_scope": (result, [handle, out_handle]),
    "ferrolog_logger_set_user": (result, [handle, Str]),
    "ferrolog_logger_set_request": (result, [handle, Str, Str, Str]),
    "ferrolog_logger_set_attribute": (result, [handle, Str, Str]),
    "ferrolog_logger_add_breadcrumb": (result, [handle, Str, Str, c_int32, Str]),
    "ferrolog_capture_error": (
        result,
        [handle, Str, Str, POINTER(Frame), c_size_t, POINTER(Cause), c_size_t, Str, Str],
    ),
    "ferrolog_metric": (result, [handle, c_int32, Str, c_double, Str, Str]),
    "ferrolog_event": (result, [handle, Str, Str]),
    "ferrolog_audit": (result, [handle, Str, Str, Str, Str, Str, Str, Str]),
    "ferrolog_telemetry": (result, [handle, Str, POINTER(Reading), c_size_t, c_bool, Str]),
    "ferrolog_span_start": (result, [handle, Str, Str, out_handle]),
    "ferrolog_span_start_child": (result, [handle, Str, Str, out_handle]),
    "ferrolog_span_continue_from_headers": (
        result,
        [handle, POINTER(Header), c_size_t, Str, Str, out_handle],
    ),
    "ferrolog_span_set_attribute": (result, [handle, Str, Str]),
    "ferrolog_span_set_error": (result, [handle, Str]),
    "ferrolog_span_logger": (result, [handle, out_handle]),
    "ferrolog_span_header": (result, [handle, c_int32, c_char_p, c_size_t, size_out]),
    "ferrolog_span_end": (result, [handle]),
    "ferrolog_span_free": (None, [handle]),
}


def unprototyped(name: str) -> Callable[..., int]:
    """A core function for the hottest calls, called without a declared prototype and without
    releasing the GIL.

    Without a prototype ctypes passes bytes and None as pointers, a handle's argument object
    (`c_void_p.from_param`) as itself and an int as a C int, building no argument object for
    each: half the call's cost. Only functions whose parameters are pointers and 32-bit
    integers may be called this way.
    Keeping the GIL spares a hand-over to any other thread waiting for it on every call; the
    calls made this way never wait, except with `overflow="block"`, where a full queue holds
    the caller, and so the interpreter, for up to `block_timeout`."""
    function = getattr(ctypes.PyDLL(str(LIBRARY_PATH)), name)
    function.restype = c_int32
    return function


def load_library(path: Path = LIBRARY_PATH) -> ctypes.CDLL:
    """Opens the core library, refuses one of another ABI, and declares every prototype."""
    try:
        library = ctypes.CDLL(str(path))
    except OSError as error:
        raise ImportError(
            f"ferrolog: cannot load the bundled core library {path} ({error}); "
            "reinstall the package with `pip install ./bindings/python`"
        ) from error
    library.ferrolog_abi_version.restype = c_uint32
    library.ferrolog_abi_version.argtypes = []
    found = library.ferrolog_abi_version()
    if found != EXPECTED_ABI_VERSION:
        raise ImportError(
            f"ferrolog: the core library {path} implements C ABI version {found}, but this "
            f"Python package was written for version {EXPECTED_ABI_VERSION}; reinstall the "
            "package so that both come from the same checkout"
        )
    for name, (restype, argtypes) in _PROTOTYPES.items():
        function: Callable[..., object] = getattr(library, name)
        function.restype = restype  # type: ignore[attr-defined]
        function.argtypes = argtypes  # type: ignore[attr-defined]
    return library


lib = load_library()
