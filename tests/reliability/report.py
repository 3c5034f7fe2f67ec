"""Runs every test in tests/reliability and writes RELIABILITY.md at the repository root.

    python -m tests.reliability.report            (from the repository root)

A test file is a category (`test_vendor_faults.py` -> `vendor_faults`), so new files show up on
their own. Tests report figures through pytest's `record_property`: a name `figure:<name>` is
summed over the tests, `worst:<name>` is the maximum. The peak memory of listing a 20 MB vendor
list is measured in a process of its own (tests/support/measure_rss.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUTPUT = ROOT / "RELIABILITY.md"

FIGURES: dict[str, str] = {
    "wrongful_deactivations": "models deactivated although the vendor still lists them",
    "runs_aborted_by_one_vendor": "runs where one vendor's fault stopped another vendor",
    "hangs": "vendors that outlived their deadline (+2 s of slack)",
    "keys_leaked": "vendor keys found in results, run rows, errors or logs",
    "raw_payloads_shown": "raw vendor payloads found in results, run rows, errors or logs",
    "http_500s": "answers with HTTP status 500",
    "runs_left_running": "runs left `running` or `queued` after the test",
    "edits_lost": "a person's edits overwritten by a sync",
}
"""The figures the report always shows, with what they count (0 is the promise)."""
WORST: dict[str, str] = {
    "vendor_seconds": "one vendor's wall time in a run, in seconds (hang and slowloris cases run "
    "with a 1 s deadline, the others with 10 s)",
}

NOT_TESTED = (
    "Real vendors over the internet: the tests have no network; every vendor is a local server "
    "speaking the recorded shapes, so a change of a vendor's real API is not caught here.",
    "TLS faults (bad certificates, handshake stalls): the local vendors speak plain HTTP; httpx "
    "verifies certificates by default and the per-request timeout covers the handshake.",
    "Faults in DNS resolution: every host is 127.0.0.1 or localhost.",
    "Memory for lists above the size cap: refused while streaming, so never held; the peak above "
    "is for a list under the cap (the default cap is 32 MiB).",
    "A vendor that is slow but within its deadline on a loaded machine: wall-time bounds are "
    "asserted with slack, not timed precisely (the suite must not be flaky under load).",
)


class Collector:
    """A pytest plugin: each test's outcome and recorded figures, by category."""

    def __init__(self) -> None:
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)
        self.sums: Counter[str] = Counter()
        self.worst: dict[str, float] = {}
        self.failures: list[str] = []

    @staticmethod
    def category(nodeid: str) -> str:
        return Path(nodeid.split("::")[0]).stem.removeprefix("test_")

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and not report.passed):
            outcome = report.outcome
            self.outcomes[self.category(report.nodeid)][outcome] += 1
            if outcome == "failed":
                self.failures.append(report.nodeid)
        if report.when != "call":
            return
        for name, value in report.user_properties:
            kind, _, figure = str(name).partition(":")
            if kind == "figure":
                self.sums[figure] += int(value)
            elif kind == "worst":
                self.worst[figure] = max(self.worst.get(figure, 0.0), float(value))


def run_tests() -> tuple[Collector, int]:
    collector = Collector()
    args = [str(HERE), "-q", "-p", "no:randomly", "-p", "no:cacheprovider"]
    code = pytest.main(args, plugins=[collector])
    return collector, int(code)


def measure_memory() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.support.measure_rss", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    measured: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return measured


def render(collector: Collector, exit_code: int, memory: dict[str, Any]) -> str:
    lines = [
        "# Reliability",
        "",
        "Written by `python -m tests.reliability.report`, which runs every test in "
        "`tests/reliability/` (real Postgres, real local vendor servers, real httpx) and "
        f"measures memory. Last run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; pytest exit code "
        f"{exit_code}.",
        "",
        "## Cases by category",
        "",
        "| category | tried | passed | failed | skipped |",
        "|---|---|---|---|---|",
    ]
    total: Counter[str] = Counter()
    for category in sorted(collector.outcomes):
        counts = collector.outcomes[category]
        total.update(counts)
        tried = sum(counts.values())
        lines.append(
            f"| {category} | {tried} | {counts['passed']} | {counts['failed']} "
            f"| {counts['skipped']} |"
        )
    lines.append(
        f"| **all** | {sum(total.values())} | {total['passed']} | {total['failed']} "
        f"| {total['skipped']} |"
    )
    lines += ["", "## Figures", "", "| figure | value | counts |", "|---|---|---|"]
    for name, meaning in FIGURES.items():
        value = str(collector.sums[name]) if name in collector.sums else "not measured here"
        lines.append(f"| {name.replace('_', ' ')} | {value} | {meaning} |")
    for name, value in sorted(collector.sums.items()):
        if name not in FIGURES:
            lines.append(f"| {name.replace('_', ' ')} | {value} | (summed over the tests) |")
    for name, value in sorted(collector.worst.items()):
        meaning = WORST.get(name, "(maximum over the tests)")
        lines.append(f"| worst {name.replace('_', ' ')} | {value:.2f} | {meaning} |")
    lines.append(
        f"| peak RSS listing a {memory['list_mb']} MB list | {memory['peak_rss_mib']} MiB "
        f"| {memory['entries']} entries fetched, parsed and built in {memory['seconds']} s; "
        f"{memory['rss_before_mib']} MiB before the fetch (interpreter and imports) |"
    )
    if collector.failures:
        lines += ["", "## Failing cases", ""] + [f"- `{n}`" for n in collector.failures]
    lines += ["", "## Not tested here, and why", ""] + [f"- {reason}" for reason in NOT_TESTED]
    return "\n".join(lines) + "\n"


def main() -> int:
    collector, code = run_tests()
    memory = measure_memory()
    OUTPUT.write_text(render(collector, code, memory))
    print(f"wrote {OUTPUT}")
    return code


if __name__ == "__main__":
    sys.exit(main())
