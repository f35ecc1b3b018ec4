"""Load from wrk: the command line the benchmarks use, and what its report says."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

WRK = "/usr/bin/wrk"
CONNECTIONS = 32
THREADS = 2
TIMEOUT_SECONDS = 5  # a request slower than this counts as an error, and says so
# An address is loaded in rounds, each on new connections, after a load that is not counted.
# wrk opens its connections all at once and gunicorn's workers take them unevenly, sometimes
# one worker all 32 (then it serves them on one core, and a page measured a third of its
# pace); a round with the connections spread shows what the server can do.
WARM_UP_SECONDS = 2
ROUNDS = 5

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
_DURATION = r"([\d.]+)(us|ms|s|m)"


@dataclass(frozen=True)
class Load:
    """One run of wrk against one address."""

    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    socket_errors: int
    bad_statuses: int  # answers other than 2xx or 3xx

    @property
    def errors(self) -> int:
        return self.socket_errors + self.bad_statuses


def _milliseconds(number: str, unit: str) -> float:
    return float(number) * _UNITS[unit]


def parse(report: str) -> Load:
    """What `wrk --latency` printed; a report without its figures raises ValueError."""
    done = re.search(r"(\d+) requests in " + _DURATION, report)
    rate = re.search(r"Requests/sec:\s+([\d.]+)", report)
    p50 = re.search(r"^\s*50(?:\.0+)?%\s+" + _DURATION, report, re.MULTILINE)
    p99 = re.search(r"^\s*99(?:\.0+)?%\s+" + _DURATION, report, re.MULTILINE)
    if not (done and rate and p50 and p99):
        raise ValueError(f"wrk printed no figures:\n{report.strip()}")
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    statuses = re.search(r"Non-2xx or 3xx responses: (\d+)", report)
    return Load(
        requests=int(done[1]),
        seconds=_milliseconds(done[2], done[3]) / 1000,
        requests_per_second=float(rate[1]),
        p50_ms=_milliseconds(p50[1], p50[2]),
        p99_ms=_milliseconds(p99[1], p99[2]),
        socket_errors=sum(int(n) for n in sockets.groups()) if sockets else 0,
        bad_statuses=int(statuses[1]) if statuses else 0,
    )


def command(url: str, seconds: int, headers: dict[str, str] | None = None) -> list[str]:
    line = [
        WRK,
        f"--threads={THREADS}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "--latency",
    ]
    for name, value in (headers or {}).items():
        line += ["--header", f"{name}: {value}"]
    return [*line, url]


def shown(line: list[str]) -> str:
    """The command as a reader would type it, with cookie values left out."""
    parts = []
    for part in line:
        if part.lower().startswith("cookie:"):
            part = "Cookie: session=…"
        parts.append(f"'{part}'" if " " in part else part)
    parts[0] = "wrk"
    return " ".join(parts)


@dataclass(frozen=True)
class Rounds:
    """Loads of one address, each on new connections."""

    loads: tuple[Load, ...]

    @property
    def best(self) -> Load:
        """The round with the most requests a second."""
        return max(self.loads, key=lambda load: load.requests_per_second)

    @property
    def errors(self) -> int:
        return sum(load.errors for load in self.loads)

    def shown(self) -> str:
        return " / ".join(f"{load.requests_per_second:,.0f}" for load in self.loads)


def rounds(url: str, seconds: int, headers: dict[str, str] | None = None) -> Rounds:
    """ROUNDS loads of `seconds` on url, after a load that is not counted."""
    run(url, WARM_UP_SECONDS, headers)
    return Rounds(tuple(run(url, seconds, headers) for _ in range(ROUNDS)))


def run(url: str, seconds: int, headers: dict[str, str] | None = None) -> Load:
    finished = subprocess.run(  # noqa: S603 (wrk, with arguments we built)
        command(url, seconds, headers),
        capture_output=True,
        text=True,
        timeout=seconds + TIMEOUT_SECONDS + 30,
        check=True,
    )
    return parse(finished.stdout)
