"""Start the Firebase Local Emulator Suite and always clean up after it.

    suite.py exec -- CMD ...   run CMD inside `firebase emulators:exec`,
                               exit with CMD's status
    suite.py run               serve until Ctrl-C, loading demo data first

The emulators' and the functions' logs go to a file under test-output/
(one per port offset, overwritten by each run), so the terminal shows only
the command's own output, or for `run` the URLs; a failed run ends with the
log's last lines and its path.

firebase-tools leaves functions-framework workers and a detached Java
process running after it exits, so every process started under it is
tracked while the suite runs and all of them are ended on the way out.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from processes import Descendants

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "demo-booking"
ONLY = "firestore,auth,functions,hosting,tasks"
# SUITE_PORT_OFFSET=N (3000, 4000, ...) runs another suite beside the first
# (every port + N),
# so several checkouts or agents on one machine do not collide.
OFFSET = int(os.environ.get("SUITE_PORT_OFFSET", "0"))
# Lines of the emulator log shown when a run fails.
LOG_TAIL_LINES = 60


def _config() -> dict:
    return json.loads((ROOT / "firebase.json").read_text())


def port(name: str) -> int:
    return int(_config()["emulators"][name]["port"]) + OFFSET


# Ports that fetch() (in firebase-tools) and Chromium refuse to connect to.
UNSAFE_PORTS = {1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101,
                102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389,
                427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
                989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
                6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}


def config_file() -> Path:
    """firebase.json, or a copy with shifted ports (beside it, so that the
    functions source and rules paths stay relative to the same folder)."""
    if OFFSET == 0:
        return ROOT / "firebase.json"
    config = _config()
    for name, settings in config["emulators"].items():
        if isinstance(settings, dict):
            for key in ("port", "websocketPort"):
                if key in settings:
                    settings[key] += OFFSET
                    if settings[key] in UNSAFE_PORTS:
                        sys.exit(f"SUITE_PORT_OFFSET={OFFSET} puts {name} on port {settings[key]}, which "
                                 "browsers and fetch() refuse; try 3000 or 4000")
    shifted = ROOT / f".firebase.offset-{OFFSET}.json"
    shifted.write_text(json.dumps(config, indent=2))
    return shifted


def urls() -> dict[str, str]:
    return {
        "Hosting (web app and REST API)": f"http://127.0.0.1:{port('hosting')}",
        "Functions": f"http://127.0.0.1:{port('functions')}/{PROJECT}/us-central1",
        "Firestore": f"http://127.0.0.1:{port('firestore')}",
        "Auth": f"http://127.0.0.1:{port('auth')}",
    }


def firebase(*args: str) -> list[str]:
    return [str(ROOT / "node_modules" / ".bin" / "firebase"), *args, "--project", PROJECT,
            "--config", str(config_file())]


def suite_env() -> dict[str, str]:
    """What tests and the seed script need to find this suite."""
    node_options = f"{os.environ.get('NODE_OPTIONS', '')} --require {ROOT / 'scripts' / 'node_no_keepalive.cjs'}"
    return dict(
        os.environ,
        NODE_OPTIONS=node_options.strip(),
        HOSTING_URL=f"http://127.0.0.1:{port('hosting')}",
        FUNCTIONS_URL=f"http://127.0.0.1:{port('functions')}/{PROJECT}/us-central1",
        FIRESTORE_EMULATOR_HOST=f"127.0.0.1:{port('firestore')}",
        FIREBASE_AUTH_EMULATOR_HOST=f"127.0.0.1:{port('auth')}",
        CLOUD_TASKS_EMULATOR_HOST=f"127.0.0.1:{port('tasks')}",
        GCLOUD_PROJECT=PROJECT,
    )


@contextlib.contextmanager
def suite_lock():
    """One suite per port offset at a time: a second run waits its turn."""
    lock_path = Path(tempfile.gettempdir()) / f"booking-suite-{OFFSET}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            say(f"another suite uses offset {OFFSET}; waiting for it...")
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def say(message: str) -> None:
    print(f"[suite] {message}", flush=True)


def log_path() -> Path:
    """One emulator log per port offset, overwritten by the next run there."""
    name = "emulators.log" if OFFSET == 0 else f"emulators-offset-{OFFSET}.log"
    return ROOT / "test-output" / name


def shown(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


def show_log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> None:
    try:
        log = path.read_text(errors="replace").splitlines()
    except OSError:
        log = []
    tail = log[-lines:]
    say(f"last {len(tail)} lines of the emulator log:")
    print("\n".join(tail), flush=True)
    say(f"the whole emulator log: {shown(path)}")
    # A function's crash (a 500 in a test) is usually far above the tail.
    crashes = [number for number, line in enumerate(log, 1) if "Traceback (most recent call last)" in line]
    if crashes:
        say(f"it holds {len(crashes)} Python traceback(s), the first at line {crashes[0]}")


@contextlib.contextmanager
def started(args: list[str], env: dict[str, str]):
    """firebase-tools with its output (and the functions' logs) in the log
    file; every process under it ended when the block ends."""
    path = log_path()
    path.parent.mkdir(exist_ok=True)
    with open(path, "wb") as log:
        shifted = f" (ports +{OFFSET})" if OFFSET else ""
        say(f"starting the emulators{shifted}; their log and the functions': {shown(path)}")
        proc = subprocess.Popen(firebase(*args), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        tracked = Descendants(proc)
        try:
            yield proc
        finally:
            tracked.end_all()


class Relay:
    """Carries a command's output to our stdout through a named pipe.

    emulators:exec hands the command its own stdout (the log file), and
    whether Node passes a child any descriptor beyond 0-2 differs between
    platforms, so the command writes into a FIFO by path instead: no TTY
    needed, works when our stdout is a pipe (CI), and streams as written."""

    def __init__(self) -> None:
        self._dir = Path(tempfile.mkdtemp(prefix="booking-suite-"))
        self.path = self._dir / "output"
        os.mkfifo(self.path)
        self._thread = threading.Thread(target=self._copy, daemon=True)
        self._thread.start()

    def _copy(self) -> None:
        # Blocks until the command's shell opens the FIFO; EOF once it ends.
        with open(self.path, "rb", buffering=0) as fifo:
            while chunk := fifo.read(65536):
                sys.stdout.buffer.write(chunk)
                sys.stdout.buffer.flush()

    def close(self) -> None:
        # When the command never started, the reader still waits in open():
        # opening the write end once releases it.
        with contextlib.suppress(OSError):
            os.close(os.open(self.path, os.O_WRONLY | os.O_NONBLOCK))
        self._thread.join(timeout=5)
        shutil.rmtree(self._dir, ignore_errors=True)


def run_exec(command: list[str]) -> int:
    # The command writes into a FIFO: unbuffered so that progress shows as
    # it happens, not in 8 KB blocks; with pytest's colours and width kept.
    env = dict(suite_env(), PYTHONUNBUFFERED="1")
    if sys.stdout.isatty():
        env.update(PY_COLORS="1", COLUMNS=str(shutil.get_terminal_size().columns))
    with suite_lock():
        relay = Relay()
        script = f"{shlex.join(command)} >{shlex.quote(str(relay.path))} 2>&1"
        try:
            with started(["emulators:exec", "--only", ONLY, script], env) as proc:
                try:
                    status = proc.wait()
                except KeyboardInterrupt:
                    status = 130
        finally:
            relay.close()
        if status != 0:
            show_log_tail(log_path())
        return status


def wait_for(url: str, timeout: float, keep_waiting: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and keep_waiting():
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def run_serve() -> int:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with suite_lock(), started(["emulators:start", "--only", ONLY], suite_env()) as proc:
        health = f"http://127.0.0.1:{port('hosting')}/appointment-types/healthz"
        if not wait_for(health, 120, lambda: not stop.is_set() and proc.poll() is None):
            if stop.is_set():
                return 130
            say("the suite did not come up within 120 s.")
            show_log_tail(log_path())
            return 1
        seed = ROOT / "scripts" / "seed_demo.py"
        if seed.exists():
            seeded = subprocess.run([sys.executable, str(seed)], cwd=ROOT, env=suite_env(), check=False)
            if seeded.returncode != 0:
                say(f"the demo data did not load (exit {seeded.returncode}); the suite runs without it.")
        print("\nThe local suite is up (Ctrl-C stops it):", flush=True)
        for name, url in urls().items():
            print(f"  {name:32} {url}", flush=True)
        print(f"  {'Emulator and function logs':32} {shown(log_path())}  (tail -f to follow)", flush=True)
        while not stop.is_set() and proc.poll() is None:
            time.sleep(0.5)
        if not stop.is_set():
            say(f"firebase-tools stopped on its own (exit {proc.returncode}).")
            show_log_tail(log_path())
            return 1
        say("stopping the emulator suite...")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="mode", required=True)
    ex = sub.add_parser("exec")
    ex.add_argument("command", nargs=argparse.REMAINDER)
    sub.add_parser("run")
    args = parser.parse_args()
    if args.mode == "exec":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        return run_exec(command)
    return run_serve()


if __name__ == "__main__":
    sys.exit(main())
