"""What checking an evidence bundle found: a `Finding` per failed check, a result per log."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One failed check: the file, the log and (where there is one) the position."""

    file: str
    log: str | None
    position: int | None
    problem: str

    def __str__(self) -> str:
        where = self.file + (f" [{self.log}]" if self.log else "")
        where += f" position {self.position}" if self.position is not None else ""
        return f"{where}: {self.problem}"


@dataclass
class LogResult:
    """What one log of a bundle holds: its events, checkpoints and signing keys."""

    log: str
    events: int = 0
    last_position: int = 0
    checkpoints: int = 0
    last_signed: int = 0
    keys: set[str] = field(default_factory=set)


@dataclass
class BundleReport:
    """The outcome of checking a bundle: findings (failures), warnings and each log's result."""

    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    logs: list[LogResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def events(self) -> int:
        return sum(result.events for result in self.logs)
