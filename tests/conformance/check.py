#!/usr/bin/env python3
"""Runs scenario.json from C, Python, Go and Node against one collector and compares what
arrived: over LuminaLog each language's entries and outcomes against the scenario's, over
LogFlux each language's entries against C's for the same steps. Prints a diff for every
mismatch and exits 1 on any. README.md beside this file says what is normalized and why.

    check.py [--python PYTHON] [--go GO] [--languages c,python,go,node]

Expects target/release (libferrolog.so, ferrolog-collector) built and the Python binding
installed in PYTHON.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RELEASE = ROOT / "target/release"
SCENARIO = HERE / "scenario.json"
MARKER = "conformance.run"
LISTENING = "ferrolog-collector listening on "
# Fields that differ on every run: when, which id, and the wire's own bookkeeping.
VOLATILE = ("id", "timestamp", "received_at", "protocol")
# A span's duration is a measurement; which spans failed or nested is what is compared.
VOLATILE_DETAILS = ("start_time", "end_time", "duration_ms", "timestamp_header")
ID_FIELDS = (("trace_id", "trace"), ("span_id", "span"), ("parent_span_id", "span"))
RUN_TIMEOUT = 120


def run_commands(work: Path, python: str, go: str) -> dict[str, list[str]]:
    """How to start each language's runner; arguments follow."""
    binary = work / "run_c"
    subprocess.run(
        ["cc", "-std=c11", "-Wall", "-Wextra", "-Werror", f"-I{ROOT / 'include'}", str(HERE / "run.c"),
         "-o", str(binary), f"-L{RELEASE}", "-lferrolog", f"-Wl,-rpath,{RELEASE}", "-ljansson"],
        check=True,
    )
    go_binary = work / "run_go"
    subprocess.run([go, "build", "-o", str(go_binary), "."], cwd=HERE / "go", check=True)
    return {
        "c": [str(binary)],
        "python": [python, str(HERE / "run.py")],
        "go": [str(go_binary)],
        "node": ["node", str(HERE / "run.js")],
    }


def start_collector(work: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [str(RELEASE / "ferrolog-collector"), "--port", "0", "--data-dir", str(work / "data")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if not line.startswith(LISTENING):
        process.kill()
        sys.exit(f"check.py: the collector said {line!r}")
    return process, line.removeprefix(LISTENING)


def runs_in(step: dict[str, Any], language: str) -> bool:
    return language in step.get("languages", [language])


def run(command: list[str], options: dict[str, str], marker: str, steps_of: str) -> list[dict[str, Any]]:
    """Runs one runner; the outcomes it printed, one per step it ran."""
    done = subprocess.run(
        [*command, str(SCENARIO), json.dumps(options), marker, steps_of],
        capture_output=True, text=True, timeout=RUN_TIMEOUT,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{command[-1]} exited with {done.returncode}:\n{done.stderr}{done.stdout}")
    return [json.loads(line) for line in done.stdout.splitlines()]


def fetch(url: str, marker: str) -> list[dict[str, Any]]:
    query = urllib.parse.urlencode({"attr": f"{MARKER}={marker}"})
    with urllib.request.urlopen(f"{url}/api/entries?{query}", timeout=10) as answer:
        entries: list[dict[str, Any]] = json.load(answer)
    return entries


def without_marker(attributes: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in attributes.items() if key != MARKER}


def normalized(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entries without what differs on every run, ids replaced by their rank (trace-1,
    span-1, …) so that which entry shares an id with which is still compared; sorted, since
    batches of different entry types may arrive in any order."""
    plain = []
    for entry in entries:
        entry = {key: value for key, value in entry.items() if key not in VOLATILE}
        attributes = without_marker(entry.pop("attributes", {}))
        if attributes:
            entry["attributes"] = attributes
        details = {k: v for k, v in entry.pop("details", {}).items() if k not in VOLATILE_DETAILS}
        if details:
            entry["details"] = details
        if "error" in entry:
            error = dict(entry["error"])
            if "context" in error:
                error["context"] = without_marker(error["context"])
            if "breadcrumbs" in error:
                error["breadcrumbs"] = [
                    {k: v for k, v in crumb.items() if k != "timestamp"} for crumb in error["breadcrumbs"]
                ]
            entry["error"] = error
        plain.append(entry)
    return renamed_ids(sorted(plain, key=canonical))


def renamed_ids(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Ids named by rank: spans in the order of their span entries' names, then the rest."""
    spans = sorted((e for e in entries if e["kind"] == "trace"), key=lambda e: e["message"])
    ranks: dict[str, str] = {}
    for entry in spans + entries:
        for field, kind in ID_FIELDS:
            value = entry.get(field)
            if value is not None and value not in ranks:
                ranks[value] = f"{kind}-{sum(r.startswith(kind) for r in ranks.values()) + 1}"
    renamed = [{k: ranks.get(v, v) if k in dict(ID_FIELDS) else v for k, v in e.items()} for e in entries]
    return sorted(renamed, key=canonical)


def canonical(entry: dict[str, Any]) -> str:
    return json.dumps(entry, sort_keys=True, ensure_ascii=False)


def expected_outcomes(scenario: dict[str, Any], language: str) -> list[dict[str, Any]]:
    return [
        {"step": index, "outcome": step["outcome"]}
        for index, step in enumerate(scenario["steps"])
        if runs_in(step, language)
    ]


def expected_entries(scenario: dict[str, Any], language: str) -> list[dict[str, Any]]:
    entries = [e for step in scenario["steps"] if runs_in(step, language) for e in step["entries"]]
    return sorted(entries, key=canonical)


def blurred(outcomes: list[dict[str, Any]], scenario: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """Outcomes with those the language's API cannot tell apart made one."""
    same = scenario.get("outcomes_not_distinguished", {}).get(language, [])
    return [{**o, "outcome": "|".join(same) if o["outcome"] in same else o["outcome"]} for o in outcomes]


def differs(title: str, expected: list[Any], actual: list[Any], expected_name: str, actual_name: str) -> bool:
    if expected == actual:
        return False
    lines = lambda values: [json.dumps(v, sort_keys=True, ensure_ascii=False) for v in values]  # noqa: E731
    print(f"FAIL {title}")
    for line in difflib.unified_diff(lines(expected), lines(actual), expected_name, actual_name, lineterm=""):
        print(f"    {line}")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--go", default=os.environ.get("GO", "go"))
    parser.add_argument("--languages", default="c,python,go,node")
    arguments = parser.parse_args()
    languages = arguments.languages.split(",")
    scenario = json.loads(SCENARIO.read_text(encoding="utf-8"))
    failed = False
    with tempfile.TemporaryDirectory(prefix="ferrolog-conformance-") as work_dir:
        work = Path(work_dir)
        commands = run_commands(work, arguments.python, arguments.go)
        collector, url = start_collector(work)
        try:
            protocols = {
                "luminalog": {"api_key": "conformance-key", "endpoint": f"{url}/v1/logs"},
                "logflux": {"api_key": "eu-lf_conformance-key", "endpoint": url, "key_persistence": "false"},
            }
            for protocol, options in protocols.items():
                for language in languages:
                    marker = f"{language}-{protocol}-{uuid.uuid4().hex}"
                    outcomes = run(commands[language], options, marker, language)
                    actual = normalized(fetch(url, marker))
                    title = f"{protocol} {language}"
                    mismatched = False
                    if protocol == "luminalog":
                        wanted = blurred(expected_outcomes(scenario, language), scenario, language)
                        mismatched |= differs(f"{title}: outcomes", wanted, blurred(outcomes, scenario, language),
                                              "scenario", language)
                        mismatched |= differs(f"{title}: entries", expected_entries(scenario, language), actual,
                                              "scenario", language)
                    elif language != "c":
                        # C performing this language's steps is the reference for what they yield.
                        reference = f"c-as-{language}-{protocol}-{uuid.uuid4().hex}"
                        run(commands["c"], options, reference, language)
                        mismatched |= differs(f"{title}: entries", normalized(fetch(url, reference)), actual,
                                              "c", language)
                    failed |= mismatched
                    print(f"{'FAIL' if mismatched else 'ok'} {title}: {len(actual)} entries")
        finally:
            collector.terminate()
            collector.wait(timeout=10)
    print("conformance: FAILED" if failed else "conformance: every language agrees")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
