"""Write a jar that `java -jar` can start and that runs another jar's main class.

firebase-tools starts the Firestore emulator with `java -jar`, but Google's
preinstalled emulator jar has no Main-Class; this launcher's manifest names
the class and puts the real jar on the class path.
"""

import sys
import zipfile
from pathlib import Path

MAIN_CLASS = "com.google.cloud.datastore.emulator.firestore.CloudFirestore"


def write_launcher(target_jar: Path, launcher: Path) -> None:
    manifest = (
        "Manifest-Version: 1.0\r\n"
        f"Main-Class: {MAIN_CLASS}\r\n"
        f"Class-Path: {target_jar.resolve().as_uri()}\r\n"
        "\r\n"
    )
    tmp = launcher.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w") as jar:
        jar.writestr("META-INF/MANIFEST.MF", manifest)
    tmp.replace(launcher)


if __name__ == "__main__":
    write_launcher(Path(sys.argv[1]), Path(sys.argv[2]))
