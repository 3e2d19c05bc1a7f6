"""A disk cache for the site's expensive runs, keyed by a hash of everything they depend on.

An entry is ``<dir>/<name>-<key>.pkl``; the key is the SHA-256 of the run's
inputs (a JSON-able dict) and of the bytes of every file the result depends on
(the reference solutions, the data file, the experiment code). Change any of
them and the entry is simply not found: the run happens again. Stale entries
are never read, so the folder can be deleted at any time.

``LECTURE_SITE_CACHE`` sets the folder (default ``.cache/lecture-site/`` at
the repository root, ignored by git); ``LECTURE_SITE_CACHE=off`` disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / ".cache" / "lecture-site"


def directory() -> Path | None:
    setting = os.environ.get("LECTURE_SITE_CACHE", "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    return Path(setting) if setting else DEFAULT_DIR


def key(inputs: dict, files: list[Path]) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps(inputs, sort_keys=True, default=repr).encode())
    for path in sorted(Path(p).resolve() for p in files):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


def path_for(name: str, inputs: dict, files: list[Path]) -> Path | None:
    folder = directory()
    return None if folder is None else folder / f"{name}-{key(inputs, files)}.pkl"


def load(path: Path | None):
    """The stored result, or None (no cache, no entry, or an unreadable one)."""
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # a truncated or foreign file: recompute
        return None


def prune(name: str, keep: Path | None, newest: int = 3) -> None:
    """Delete ``name``'s entries but ``keep`` and the ``newest`` others (a development session leaves many)."""
    if keep is None:
        return
    others = sorted((p for p in keep.parent.glob(f"{name}-*.pkl") if p != keep), key=lambda p: p.stat().st_mtime)
    for stale in others[:-newest] if newest else others:
        stale.unlink(missing_ok=True)


def store(path: Path | None, value) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(handle.name, path)  # atomic: a reader never sees half a file
