"""The README's pictures come from the browser tests' screenshots."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "web" / "docs"


def refresh_docs_picture(shot: Path, name: str) -> None:
    """Copy a screenshot over the README's picture `web/docs/<name>`, only
    when asked (UPDATE_DOCS_SCREENSHOTS=1): a test run leaves the tree clean."""
    if os.environ.get("UPDATE_DOCS_SCREENSHOTS") == "1":
        shutil.copyfile(shot, DOCS / name)
