"""ferrolog.logflux across a process's life: before init, and hooks while the interpreter exits."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import Collector


def run(program: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(program)], capture_output=True, text=True, timeout=60
    )


def test_before_init_sending_raises_and_flush_and_close_have_nothing_to_do() -> None:
    done = run(
        """
        import ferrolog.logflux as logflux
        assert logflux.flush(1.0) and logflux.close()
        logflux.info("too early")
        """
    )
    assert done.returncode == 1
    assert "RuntimeError: ferrolog.logflux: call logflux.init(Options(...))" in done.stderr


def test_threads_logging_through_a_hook_while_the_interpreter_exits(collector: Collector) -> None:
    done = run(
        f"""
        import threading
        import ferrolog.logflux as logflux
        from ferrolog.logflux import Options

        def tagged(log):
            log["attributes"]["hooked"] = "yes"
            return log

        logflux.init(Options(api_key="eu-lf_k", endpoint={collector.url!r}, key_persistence=False,
                             before_send_log=tagged))

        def chatter():
            while True:
                logflux.info("exit-chatter")

        logflux.info("exit-last")
        assert logflux.flush(10.0)
        for _ in range(4):
            threading.Thread(target=chatter, daemon=True).start()
        print("main done")
        """
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "main done\n", "")
    [last] = collector.entries(text="exit-last")
    assert last["attributes"] == {"hooked": "yes"}
