"""Start the Firebase Local Emulator Suite and always clean up after it.

    suite.py exec -- CMD ...   run CMD inside `firebase emulators:exec`,
                               exit with CMD's status
    suite.py run               serve until Ctrl-C, loading demo data first

firebase-tools leaves functions-framework workers (and sometimes Java)
running after it exits, so everything is started in a fresh process group
and that whole group, plus any straggler that still has the project's
paths on its command line, is ended on the way out.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "demo-booking"
ONLY = "firestore,auth,functions,hosting"
URLS = {
    "Hosting (web app and REST API)": "http://127.0.0.1:5000",
    "Functions": f"http://127.0.0.1:5001/{PROJECT}/us-central1",
    "Firestore": "http://127.0.0.1:8080",
    "Auth": "http://127.0.0.1:9099",
}


def firebase(*args: str) -> list[str]:
    return [str(ROOT / "node_modules" / ".bin" / "firebase"), *args, "--project", PROJECT]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def end_group(pgid: int, grace: float = 10.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and _group_alive(pgid):
            time.sleep(0.2)
    end_stragglers()


def end_stragglers() -> None:
    """Workers that escaped the group: functions-framework serving this
    project's functions/, or an emulator Java process of ours."""
    markers = (str(ROOT / "functions"), "cloud-firestore-emulator", "firestore-emulator-launcher")
    me = os.getpid()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == me:
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            cwd = os.readlink(proc / "cwd")
        except OSError:
            continue
        ours = any(m in cmdline for m in markers) or (
            cwd.startswith(str(ROOT)) and ("functions_framework" in cmdline or "serving" in cmdline)
        )
        if ours and "suite.py" not in cmdline and "pytest" not in cmdline:
            try:
                os.kill(int(proc.name), signal.SIGKILL)
            except ProcessLookupError:
                pass


def run_exec(command: list[str]) -> int:
    script = shlex.join(command)
    proc = subprocess.Popen(
        firebase("emulators:exec", "--only", ONLY, script), cwd=ROOT, start_new_session=True
    )
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        end_group(proc.pid)


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
    proc = subprocess.Popen(
        firebase("emulators:start", "--only", ONLY), cwd=ROOT, start_new_session=True
    )
    stop = {"now": False}

    def _stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        if wait_for("http://127.0.0.1:5000/appointment-types/healthz", 120):
            seed = ROOT / "scripts" / "seed_demo.py"
            if seed.exists():
                env = dict(os.environ,
                           FIRESTORE_EMULATOR_HOST="127.0.0.1:8080",
                           FIREBASE_AUTH_EMULATOR_HOST="127.0.0.1:9099",
                           GCLOUD_PROJECT=PROJECT)
                subprocess.run([sys.executable, str(seed)], cwd=ROOT, env=env, check=False)
            print("\nThe local suite is up (Ctrl-C stops it):", flush=True)
            for name, url in URLS.items():
                print(f"  {name:32} {url}", flush=True)
        else:
            print("The suite did not answer within 120 s; see the log above.", flush=True)
        while not stop["now"] and proc.poll() is None:
            time.sleep(0.5)
    finally:
        print("\nStopping the emulator suite...", flush=True)
        end_group(proc.pid)
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
