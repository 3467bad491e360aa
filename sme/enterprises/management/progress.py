"""A plain-text progress bar for the terminal (no dependency): redrawn in place on a TTY, a line
every ten per cent otherwise (logs, CI)."""

from __future__ import annotations

import time
from typing import Protocol


class Output(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


class ProgressBar:
    def __init__(self, out: Output, width: int = 30) -> None:
        self.out = out
        self.width = width
        self.started = time.monotonic()
        self.tty = bool(getattr(out, "isatty", lambda: False)())
        self._last_decile = -1

    def update(self, done: int, total: int | None, extra: str = "") -> None:
        elapsed = time.monotonic() - self.started
        if total:
            fraction = min(1.0, done / total)
            filled = int(self.width * fraction)
            bar = "#" * filled + "-" * (self.width - filled)
            text = f"[{bar}] {fraction * 100:5.1f}% {done:,}/{total:,} {extra} {elapsed:6.1f}s"
            decile = int(fraction * 10)
        else:
            text = f"{done:,} {extra} {elapsed:6.1f}s"
            decile = done // 100_000
        if self.tty:
            self.out.write("\r" + text)
            self.out.flush()
        elif decile != self._last_decile:
            self._last_decile = decile
            self.out.write(text + "\n")
            self.out.flush()

    def finish(self) -> None:
        if self.tty:
            self.out.write("\n")
            self.out.flush()
