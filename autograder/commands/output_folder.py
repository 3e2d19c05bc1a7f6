"""The grader's output folder (``grade --out``): after a run it holds that run's files and no other run's.

A run records every file it writes into the folder (:meth:`OutputFolder.write`,
:meth:`OutputFolder.keep` for folders and for files written elsewhere, such as
the resumable state). :meth:`OutputFolder.finish` then removes every file an
earlier run wrote that this run did not, as listed in the folder's manifest
(:data:`MANIFEST`), prunes the folders that left empty, and writes this run's
manifest. Files the grader never wrote (the instructor's own) stay. A folder an
older version of the grader filled (no manifest, but a ``grades.json``) loses
the kinds of files the grader writes (:data:`GRADER_FILES`).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from ..fsutil import atomic_write

MANIFEST = ".autograder-files.json"
#: What the grader writes, for a folder without a manifest.
GRADER_FILES = ("grades.json", "grades.csv", "report.html", "similarity.json", "push-time-scores.csv",
                "feedback/*.md", "gradescope/*/results.json", "state/*.json", "snapshots/*/exercises/*.py",
                "snapshots-late/*/exercises/*.py", "notebooks/*/exercises/*.py")


class OutputFolder:
    """The files one run writes into ``root``."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.files: set[Path] = set()
        self.folders: set[Path] = set()

    def write(self, path: Path, data: str | bytes) -> Path:
        """Write ``data`` to ``path`` atomically and keep it."""
        atomic_write(path, data)
        return self.keep(path)

    def keep(self, path: Path) -> Path:
        """Keep ``path`` (a file, or a folder with everything in it) if it is inside the folder."""
        resolved = Path(path).resolve()
        if resolved != self.root and self.root in resolved.parents:
            (self.folders if resolved.is_dir() else self.files).add(resolved)
        return Path(path)

    def kept(self, path: Path) -> bool:
        return path in self.files or any(folder in path.parents for folder in self.folders)

    def this_run(self) -> list[Path]:
        """Every file of this run that exists, sorted."""
        inside = {p for folder in self.folders if folder.is_dir() for p in folder.rglob("*") if p.is_file()}
        return sorted(p for p in self.files | inside if p.is_file())

    def earlier_runs(self) -> list[Path]:
        """The files earlier runs wrote (the manifest's; for an older grader's folder, its kinds of files)."""
        manifest = self.root / MANIFEST
        try:
            listed = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
        except (OSError, ValueError, AttributeError):
            listed = None
        if listed is None:
            legacy = (self.root / "grades.json").is_file()
            return sorted(p for pattern in GRADER_FILES for p in self.root.glob(pattern)) if legacy else []
        safe = [PurePosixPath(p) for p in listed if isinstance(p, str)]
        return [self.root.joinpath(*p.parts) for p in safe if not p.is_absolute() and ".." not in p.parts]

    def finish(self) -> list[Path]:
        """Remove what earlier runs left and this run did not write; write the manifest; return the removed."""
        removed = []
        for path in self.earlier_runs():
            if not self.kept(path) and path.is_file() and not path.is_symlink():
                path.unlink()
                removed.append(path)
        for folder in sorted({p.parent for p in removed}, key=lambda p: len(p.parts), reverse=True):
            _prune(folder, self.root)
        files = [p.relative_to(self.root).as_posix() for p in self.this_run()]
        atomic_write(self.root / MANIFEST, json.dumps({"files": files}, ensure_ascii=False, indent=1) + "\n")
        return removed


def _prune(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty."""
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
