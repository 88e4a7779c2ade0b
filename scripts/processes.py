"""Every process started under the emulator suite, found and ended.

Uses psutil rather than /proc so that the suite runner works on macOS too.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
import time

import psutil


class Descendants:
    """Remembers every process ever started under `root` and ends them all.

    firebase-tools starts Java detached (its own process group) and leaves
    functions-framework workers behind, so killing the group is not enough;
    polling the process tree while the suite runs catches them all, and only
    ours, even with other suites running on the same machine. psutil's
    Process objects carry their start time, so a recycled PID is never
    mistaken for one of ours."""

    def __init__(self, root: subprocess.Popen) -> None:
        self.root = root
        self._root = psutil.Process(root.pid)
        self.seen: set[psutil.Process] = set()
        self.current: set[psutil.Process] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def scan(self) -> None:
        try:
            self.current = set(self._root.children(recursive=True))
        except psutil.NoSuchProcess:
            return
        self.seen.update(self.current)

    def reap_orphaned_workers(self) -> None:
        """End the functions-framework workers the functions emulator let go.

        It starts each Python worker through a shell and, to retire one,
        kills only the shell: the worker (~70 MB) lives on, no longer under
        firebase-tools and never used again. Over a test run that was
        hundreds of them, until the machine ran out of memory. A worker of
        ours that is no longer under the suite's process tree is one of
        those."""
        for proc in _alive(self.seen - self.current):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                if any("functions-framework" in part for part in proc.cmdline()):
                    proc.kill()

    def _watch(self) -> None:
        ticks = 0
        while not self._stop.wait(0.5):
            self.scan()
            ticks += 1
            if ticks % 10 == 0:  # every 5 s
                self.reap_orphaned_workers()

    def end_all(self, grace: float = 10.0) -> None:
        self.scan()
        # Ask firebase-tools first: it stops its emulators in order. Then
        # end whatever it left behind.
        if self.root.poll() is None:
            self.root.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.root.wait(timeout=15)
        self._stop.set()
        self._thread.join()
        self.scan()
        left = _alive(self.seen | ({self._root} if self.root.poll() is None else set()))
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for proc in left:
                with contextlib.suppress(psutil.NoSuchProcess):
                    proc.send_signal(sig)
            deadline = time.monotonic() + grace
            while left and time.monotonic() < deadline:
                time.sleep(0.2)
                left = _alive(left)
            if not left:
                break
        self.root.poll()  # reap firebase-tools if it went only now


def _alive(procs: set[psutil.Process] | list[psutil.Process]) -> list[psutil.Process]:
    """The ones still running; a zombie has ended, only its parent has not
    collected it yet."""
    alive = []
    for proc in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                alive.append(proc)
    return alive
