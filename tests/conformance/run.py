"""The conformance scenario through the Python binding's public API; see run.c for the
arguments and the output, which are the same in every language."""

from __future__ import annotations

import json
import sys
import types
from collections.abc import Callable
from typing import Any

import ferrolog
from ferrolog import FerrologError, Result

OUTCOMES = {Result.OK: "accepted", Result.FILTERED: "filtered"}


def raised_through(frames: list[dict[str, Any]], error: BaseException) -> BaseException:
    """`error` raised through functions with the scenario's names, files and lines (innermost
    first), so that its traceback, which capture_error reads, holds exactly those frames."""
    call: Callable[[], None] | None = None
    for frame in frames:
        source = compile("def frame():\n    call() if call else raise_error()\n", frame["module"], "exec")
        code = next(c for c in source.co_consts if isinstance(c, types.CodeType))
        code = code.replace(co_name=frame["function"], co_firstlineno=frame["line"] - 1)

        def raise_error() -> None:
            raise error

        call = types.FunctionType(code, {"call": call, "raise_error": raise_error})
    assert call is not None, "a captured error needs frames"
    try:
        call()
    except BaseException as raised:  # noqa: BLE001 - it is the error being built
        # Left out: this function's own frame, first, and raise_error's, last.
        outermost = last = raised.__traceback__.tb_next
        while last.tb_next is not None and last.tb_next.tb_frame.f_code.co_name != "raise_error":
            last = last.tb_next
        last.tb_next = None
        return raised.with_traceback(outermost)
    raise AssertionError("unreachable")


class Runner:
    def __init__(self, scenario: dict[str, Any], options: dict[str, str], marker: str) -> None:
        self.clients: list[ferrolog.Client] = []
        self.named: dict[str, Any] = {}
        for name, own in scenario["clients"].items():
            client = ferrolog.Client(**options, **own)
            self.clients.append(client)
            self.named[name] = client.logger().child(**{"conformance.run": marker})

    def logger(self, step: dict[str, Any]) -> Any:
        return self.named[step.get("logger", "root")]

    def perform(self, step: dict[str, Any]) -> Any:
        call, logger = step["call"], self.logger(step)
        attributes = step.get("attributes", {})
        if call == "log":
            return logger.log(step["level"], step["message"], **attributes)
        if call in ("child", "scope"):
            self.named[step["as"]] = logger.child(**attributes) if call == "child" else logger.scope()
        elif call == "metric":
            return logger.send_metric(step["kind"], step["name"], step["value"], step["unit"], attributes)
        elif call == "event":
            return logger.event(step["name"], **attributes)
        elif call == "audit":
            return logger.send_audit(step["action"], step["actor"], step["resource"], step["resource_id"],
                                     step["outcome_field"], step["actor_type"], attributes)
        elif call == "scope_set_user":
            logger.set_user(step["user_id"])
        elif call == "scope_set_request":
            logger.set_request(step["method"], step["path"], step["request_id"])
        elif call == "scope_set_attribute":
            logger.set_attribute(step["key"], step["value"])
        elif call == "breadcrumb":
            logger.add_breadcrumb(step["message"], step["category"], step["level"], step["data"])
        elif call == "capture_error":
            return logger.send_error(self.error(step), None, attributes)
        elif call == "span_start":
            self.named[step["as"]] = logger.span(step["name"], step["operation"])
        elif call == "span_set_attribute":
            self.named[step["span"]].set_attribute(step["key"], step["value"])
        elif call == "span_set_error":
            self.named[step["span"]].set_error(step["message"])
        elif call == "span_logger":
            self.named[step["as"]] = self.named[step["span"]].logger()
        elif call == "span_end":
            return self.named[step["span"]].end()
        else:
            raise SystemExit(f"run.py: unknown call {call}")
        return Result.OK

    @staticmethod
    def error(step: dict[str, Any]) -> BaseException:
        kinds = {"ValueError": ValueError, "LookupError": LookupError}
        error = kinds[step["type"]](step["message"])
        below = error
        for cause in step["causes"]:
            below.__cause__ = kinds[cause["type"]](cause["message"])
            below = below.__cause__
        return raised_through(step["frames"], error)

    def outcome(self, step: dict[str, Any]) -> str:
        try:
            return OUTCOMES.get(self.perform(step), "unexpected")
        # The binding refuses bad arguments with its own checks (TypeError, ValueError) or
        # with the core's argument errors (FerrologError).
        except (FerrologError, TypeError, ValueError):
            return "refused"


def main(scenario_path: str, options_json: str, marker: str, language: str) -> int:
    with open(scenario_path, encoding="utf-8") as file:
        scenario = json.load(file)
    runner = Runner(scenario, json.loads(options_json), marker)
    for index, step in enumerate(scenario["steps"]):
        if language in step.get("languages", [language]):
            print(json.dumps({"step": index, "outcome": runner.outcome(step)}), flush=True)
    settled = [client.shutdown(10.0) for client in runner.clients]
    return 0 if all(settled) else 3


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
