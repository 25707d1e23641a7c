"""Is this folder on a file system where our write lock and our fsyncs can be trusted?

The write lock is an ``flock``; on NFS, SMB/CIFS and most network file systems it is
emulated, local to one client, or silently a no-op, and ``fsync`` may return before
the server has the data. Two writers on two machines could then both commit, and a
commit we acknowledged could vanish. So writers refuse a folder on a network file
system unless told they may (``--allow-network-fs``); readers never mind.

Linux only (``/proc/mounts``); elsewhere nothing is known and nothing is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

MOUNTS = Path("/proc/mounts")
NETWORK_TYPES = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre",
        "gpfs", "davfs", "fuse.sshfs", "fuse.s3fs", "fuse.rclone", "fuse.gcsfuse", "fuse.glusterfs",
    }
)  # fmt: skip


def mount_type(path: str | os.PathLike[str], mounts: Path | None = None) -> str | None:
    """The type of the file system holding ``path`` (or, before it exists, the folder that
    will), from the longest mount point above it; None when unknown."""
    try:
        table = (mounts or MOUNTS).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    where = _existing(Path(os.path.abspath(path))).resolve()
    best: tuple[int, str] | None = None
    for line in table:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = Path(_unescape(fields[1]))
        if (where == point or point in where.parents) and (best is None or len(str(point)) > best[0]):
            best = (len(str(point)), fields[2])
    return best[1] if best else None


def network_filesystem(path: str | os.PathLike[str], mounts: Path | None = None) -> str | None:
    """The network file system type ``path`` is on, or None when it is local (or unknown)."""
    found = mount_type(path, mounts)
    return found if found in NETWORK_TYPES else None


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _unescape(field: str) -> str:
    r"""``/proc/mounts`` writes a space in a mount point as ``\040`` (and tab, newline, backslash alike)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field
