"""Writing a file a user named: the whole file or nothing, and never in place of something
that is not a file.

:func:`write_atomic` and :func:`open_atomic` write to a temporary file beside the target,
flush it to disk and rename it over the target, so a failure (a full disk, an exception,
SIGTERM) never leaves a half-written file, and the temporary file is removed. The target
may be a symlink (the file it points to is replaced, the link stays) but not a FIFO, a
device or a folder. Every problem is an :class:`~callreview.errors.ExportError` with the
path and a hint.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from pathlib import Path
from typing import IO, Iterator

from .errors import ExportError

HINT = "choose another file with -o PATH"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def writable_target(path: str | os.PathLike[str]) -> Path:
    """The file to replace for ``path``: ``path`` itself, or the file its symlink points
    to. Raises :class:`ExportError` for a folder, a FIFO, a device or socket, a missing
    folder and a name too long for the file system."""
    p = Path(path)
    try:
        st = os.stat(p)  # follows a symlink: what the user would write into
    except FileNotFoundError:
        st = None
    except OSError as exc:  # ENAMETOOLONG, ELOOP, EACCES on a folder on the way
        raise ExportError(f"cannot write here ({_reason(exc)})", path=str(p), hint=HINT) from None
    if st is not None:
        if stat.S_ISDIR(st.st_mode):
            raise ExportError("this is a folder, not a file", path=str(p),
                              hint=f"name a file inside it, e.g. -o {p / 'report.html'}")
        if not stat.S_ISREG(st.st_mode):
            raise ExportError("this is not a regular file (a pipe, a device or a socket); it is left as it is",
                              path=str(p), hint=HINT)
        if p.is_symlink():
            p = Path(os.path.realpath(p))
    elif p.is_symlink():  # a dangling link: write where it points, as a shell would
        p = Path(os.path.realpath(p))
    folder = p.parent
    try:
        folder_ok = folder.is_dir()
    except OSError:
        folder_ok = False
    if not folder_ok:
        raise ExportError("the folder does not exist", path=str(path),
                          hint=f"create it first (mkdir -p {folder}) or {HINT}")
    return p


@contextlib.contextmanager
def _terminated_cleanly() -> Iterator[None]:
    """Turn SIGTERM into SystemExit while the block runs, so ``finally`` clauses (the
    removal of the temporary file) run; the signal's own handler is restored after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # not settable here
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _replacing(path: str | os.PathLike[str], mode: str, newline: str | None) -> Iterator[IO]:
    target = writable_target(path)
    tmp: str | None = None
    with _terminated_cleanly():
        try:
            # a short name of its own: the target's name may be near the 255-byte limit
            fd, tmp = tempfile.mkstemp(prefix=".callreview-", suffix=".tmp", dir=target.parent)
            if "b" in mode:
                out: IO = os.fdopen(fd, mode)
            else:
                out = os.fdopen(fd, mode, encoding="utf-8", newline=newline)
            with out:
                yield out
                out.flush()
                os.fsync(out.fileno())
            try:
                perms = target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask()
            except OSError:
                perms = 0o644
            os.chmod(tmp, perms)
            os.replace(tmp, target)
            tmp = None
        except OSError as exc:
            raise ExportError(f"cannot write the file ({_reason(exc)})", path=str(path), hint=HINT) from None
        finally:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def open_atomic(path: str | os.PathLike[str], *, newline: str = "\n") -> contextlib.AbstractContextManager[IO[str]]:
    """A UTF-8 text stream whose content replaces ``path`` when the ``with`` block ends
    without an exception; on an exception the target is left as it was."""
    return _replacing(path, "w", newline)


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, bom: bool = False) -> None:
    """Write the whole file or nothing (see the module). Text is written as UTF-8, with a
    byte order mark when ``bom`` (which lets Excel read a CSV as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if bom and isinstance(data, str):
        raw = b"\xef\xbb\xbf" + raw
    with _replacing(path, "wb", None) as out:
        out.write(raw)
