"""Start the Firebase Local Emulator Suite and always clean up after it.

    suite.py exec -- CMD ...   run CMD inside `firebase emulators:exec`,
                               exit with CMD's status
    suite.py run               serve until Ctrl-C, loading demo data first

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
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "demo-booking"
ONLY = "firestore,auth,functions,hosting"
# SUITE_PORT_OFFSET=N (3000, 4000, ...) runs another suite beside the first
# (every port + N),
# so several checkouts or agents on one machine do not collide.
OFFSET = int(os.environ.get("SUITE_PORT_OFFSET", "0"))


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
        GCLOUD_PROJECT=PROJECT,
    )


def _start_time(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]  # field 22: start time in clock ticks


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


class Descendants:
    """Remembers every process ever started under `root`.

    firebase-tools starts Java detached (its own process group) and leaves
    functions-framework workers behind, so killing the group is not enough;
    polling the process tree while the suite runs catches them all, and only
    ours, even with other suites running on the same machine."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.seen: dict[int, str] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def scan(self) -> None:
        tree = _children()
        stack = [self.root]
        while stack:
            pid = stack.pop()
            for child in tree.get(pid, []):
                started = _start_time(child)
                if started is not None:
                    self.seen.setdefault(child, started)
                stack.append(child)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            self.scan()

    def end_all(self, grace: float = 10.0) -> None:
        self.scan()
        # Ask firebase-tools first: it stops its emulators in order. Then
        # end whatever it left behind.
        try:
            os.kill(self.root, signal.SIGINT)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and _start_time(self.root) is not None and not _is_zombie(self.root):
            time.sleep(0.2)
        self._stop.set()
        self.scan()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            alive = [pid for pid, started in self.seen.items() if _start_time(pid) == started]
            if self.root not in self.seen and _start_time(self.root) is not None:
                alive.append(self.root)
            if not alive:
                return
            for pid in alive:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and any(
                _start_time(pid) == self.seen.get(pid, _start_time(pid)) for pid in alive
            ):
                time.sleep(0.2)


@contextlib.contextmanager
def suite_lock():
    """One suite per port offset at a time: a second run waits its turn."""
    lock_path = Path(tempfile.gettempdir()) / f"booking-suite-{OFFSET}.lock"
    with open(lock_path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"[suite] another suite uses offset {OFFSET}; waiting for it...", flush=True)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def run_exec(command: list[str]) -> int:
    script = shlex.join(command)
    with suite_lock():
        proc = subprocess.Popen(
            firebase("emulators:exec", "--only", ONLY, script), cwd=ROOT, env=suite_env(), start_new_session=True
        )
        tracked = Descendants(proc.pid)
        try:
            return proc.wait()
        except KeyboardInterrupt:
            return 130
        finally:
            tracked.end_all()


def wait_for(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def run_serve() -> int:
    lock = suite_lock()
    lock.__enter__()
    proc = subprocess.Popen(
        firebase("emulators:start", "--only", ONLY), cwd=ROOT, env=suite_env(), start_new_session=True
    )
    tracked = Descendants(proc.pid)
    stop = {"now": False}

    def _stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        if wait_for(f"http://127.0.0.1:{port('hosting')}/appointment-types/healthz", 120):
            seed = ROOT / "scripts" / "seed_demo.py"
            if seed.exists():
                subprocess.run([sys.executable, str(seed)], cwd=ROOT, env=suite_env(), check=False)
            print("\nThe local suite is up (Ctrl-C stops it):", flush=True)
            for name, url in urls().items():
                print(f"  {name:32} {url}", flush=True)
        else:
            print("The suite did not answer within 120 s; see the log above.", flush=True)
        while not stop["now"] and proc.poll() is None:
            time.sleep(0.5)
    finally:
        print("\nStopping the emulator suite...", flush=True)
        tracked.end_all()
        lock.__exit__(None, None, None)
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
