"""Write files whole or not at all: a failure part-way (a full disk, a crash) leaves the old file as it was.

Everything is written to a temporary file in the target's directory (same file system) and then
renamed over the target with `os.replace`, which is atomic: a reader sees the old file or the new one.

- `replacing(path)`: a context manager giving the temporary path to write (it keeps the target's
  suffix, for tools like ffmpeg that choose a format by it); on an exception it is removed.
- `write_bytes(path, data)`: the common case.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

NEW_FILE_MODE = 0o644  # mkstemp makes 0600 files: an export is for sharing (a target's own mode is kept)


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    path = Path(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}")
    os.close(fd)
    temporary = Path(name)
    try:
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        os.chmod(temporary, mode)
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes(path: str | Path, data: bytes) -> None:
    with replacing(path) as temporary, open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
