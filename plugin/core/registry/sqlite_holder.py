"""Who writes an embedded registry: while its write transaction is open, a writer keeps a small file
"<registry>.citycode-lock" (host, pid, user, job, since), so that a job waiting for it can say who it waits for."""
import json
import os
import socket

from ..i18n import tr
from ..times import now
from .base import default_actor

HOLDER = ".citycode-lock"  # suffix of the file naming the writer while its transaction is open


def hold(path: str, job: str) -> bool:
    """Name this process as the writer of the registry at `path`; False when the folder may not be written (then
    there is just no such file)."""
    lock, tmp = path + HOLDER, "{}{}.{}".format(path, HOLDER, os.getpid())
    info = {"host": socket.gethostname(), "pid": os.getpid(), "user": default_actor(), "job": job, "since": now()}
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(info, f, ensure_ascii=False)
        os.replace(tmp, lock)
        return True
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass
        return False


def let_go(path: str) -> None:
    try:
        os.remove(path + HOLDER)
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, OverflowError):
        return True  # there, another user's (or cannot be told)
    return True


def holder(path: str) -> str:
    """Who is writing the registry at `path`, as far as its lock file tells (a file left by a process of
    this host that is gone is removed)."""
    lock = path + HOLDER
    try:
        with open(lock, encoding="utf-8") as f:
            info = json.load(f)
        pid, host = int(info["pid"]), str(info["host"])
    except (OSError, ValueError, KeyError, TypeError):
        return tr("another program")
    if host == socket.gethostname() and not _alive(pid):
        try:
            os.remove(lock)  # left by a killed run
        except OSError:
            pass
        return tr("another program")
    return tr("{} (process {} on {}{}, since {})").format(
        info.get("user") or "?", pid, host, ": " + info["job"] if info.get("job") else "", info.get("since") or "?")
