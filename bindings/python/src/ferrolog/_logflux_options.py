"""LogFlux's `Options`: the reference SDK's fields and defaults, checked, as core options."""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any, get_type_hints

from .hooks import ENTRY_TYPES, BeforeSend

HOOK_PREFIX = "before_send_"


@dataclass
class Options:
    """The reference SDK's options, with its defaults. Every field but the hooks is a core
    option of the same name; `node`, `endpoint`, `http_timeout` and `debug` are the ones the
    reference reads from `LOGFLUX_*` variables without listing them (`endpoint`, the ingest
    base URL, skips discovery: for the bundled collector and self-hosting)."""

    api_key: str
    source: str | None = None
    environment: str | None = None
    release: str | None = None
    node: str | None = None
    endpoint: str | None = None
    queue_size: int = 1000
    batch_size: int = 100
    flush_interval: float = 5.0
    worker_count: int = 2
    max_retries: int = 3
    http_timeout: float | None = None
    sample_rate: float = 1.0
    max_breadcrumbs: int = 100
    failsafe: bool = True
    enable_compression: bool = True
    debug: bool = False
    key_persistence: bool = True
    key_persistence_path: str | None = None
    key_rotation_days: int = 0
    before_send_log: BeforeSend | None = None
    before_send_metric: BeforeSend | None = None
    before_send_trace: BeforeSend | None = None
    before_send_event: BeforeSend | None = None
    before_send_audit: BeforeSend | None = None

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            check_field(name, value)
        if not self.api_key:
            raise ValueError("ferrolog.logflux: Options.api_key is required")

    def core_options(self) -> dict[str, Any]:
        return core_options_of(vars(self))

    def hooks(self) -> dict[str, BeforeSend]:
        return hooks_of(vars(self))


def _expected(name: str) -> tuple[type, ...]:
    """The Python types a field takes: a float field takes an int too."""
    hint = get_type_hints(Options)[name]
    kinds = hint.__args__ if isinstance(hint, types.UnionType) else (hint,)
    return tuple(kinds) + ((int,) if float in kinds else ())


FIELDS = frozenset(field.name for field in fields(Options))
DEFAULTS = {field.name: field.default for field in fields(Options) if field.default is not MISSING}


def check_field(name: str, value: object) -> None:
    """Refuses an unknown field, or a value of the wrong type, with a clear error."""
    if name not in FIELDS:
        raise TypeError(f"ferrolog.logflux: Options has no field {name!r}")
    if name.startswith(HOOK_PREFIX):
        if value is not None and not callable(value):
            raise TypeError(f"ferrolog.logflux: {name} must be callable or None, not {type(value).__name__}")
        return
    expected = _expected(name)
    wrong_bool = isinstance(value, bool) and bool not in expected
    if wrong_bool or not isinstance(value, expected):
        names = " or ".join("None" if kind is type(None) else kind.__name__ for kind in expected)
        raise TypeError(f"ferrolog.logflux: {name} must be {names}, not {type(value).__name__}")


def core_options_of(values: Mapping[str, Any]) -> dict[str, Any]:
    """The core options among Options fields, without the unset ones."""
    return {
        name: value for name, value in values.items() if value is not None and not name.startswith(HOOK_PREFIX)
    }


def hooks_of(values: Mapping[str, Any]) -> dict[str, BeforeSend]:
    """The hooks set among `values`, by entry type."""
    return {
        kind: values[HOOK_PREFIX + kind] for kind in ENTRY_TYPES if values.get(HOOK_PREFIX + kind) is not None
    }
