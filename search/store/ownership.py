"""Whether someone other than the user running presse can change the index folder or the live generation.

Whoever can write there can plant files that every presse process reads (see issue 12): presse refuses pickles it
does not know (safe_unpickle.py), but a warning names the weakness before anything is planted.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def foreign_writers(folders: list[Path], uid: int | None = None) -> list[str]:
    """One line per folder in `folders` that a user other than `uid` (default: this process's) can write to."""
    uid = os.geteuid() if uid is None else uid
    warnings = []
    for folder in folders:
        try:
            info = folder.stat()
        except FileNotFoundError:
            continue
        who = []
        if info.st_uid != uid:
            who.append(f"it belongs to uid {info.st_uid}, presse runs as uid {uid}")
        if info.st_mode & stat.S_IWGRP:
            who.append(f"group {info.st_gid} can write to it")
        if info.st_mode & stat.S_IWOTH:
            who.append("everyone can write to it")
        if who:
            warnings.append(f"{folder} can be changed by others ({'; '.join(who)}): whoever can write there can "
                            "plant files every presse process reads. Make it writable by presse's user only.")
    return warnings
