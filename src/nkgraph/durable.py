"""Files that survive a crash: written and synced before anything refers to them.

The store's info, the journal's entries and the tokens file are each written to a new
file (never over an old one), synced, and then published by a rename or a link whose
directory is synced in turn. These two steps are the ones they share.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["sync_directory", "write_new"]


def write_new(path: Path, data: bytes, *, mode: int = 0o666) -> None:
    """Create ``path`` (it must not exist) holding ``data``, and sync it to disk.

    Raises:
        FileExistsError: ``path`` exists.
        OSError: it cannot be written.
    """
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def sync_directory(path: Path) -> None:
    """Sync the directory ``path``, so that the names created or renamed in it last."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
