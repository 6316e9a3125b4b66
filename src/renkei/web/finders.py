"""Static files from the front-end packages in node_modules, limited to what pages use.

The packages are installed from the npm registry at set-up (pinned in package-lock.json),
never copied by hand. Only the files listed in settings.VENDOR_STATIC are served and
collected: a whole package would bring thousands of unused font subsets and source maps
that point at files the package does not ship.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args: object, **kwargs: object) -> None:
        self.packages: list[tuple[str, Path, list[str]]] = [
            (prefix, Path(settings.NODE_MODULES) / package, patterns)
            for prefix, package, patterns in settings.VENDOR_STATIC
        ]
        self.storages: dict[str, FileSystemStorage] = {}
        for prefix, root, _patterns in self.packages:
            storage = FileSystemStorage(location=root)
            storage.prefix = prefix  # type: ignore[attr-defined]
            self.storages[prefix] = storage

    def check(self, **kwargs: object) -> list[Error]:
        return [
            Error(
                f"Front-end package folder {root} is missing.",
                hint="Run ./renkei once: it installs the locked front-end packages.",
                id="renkei.E001",
            )
            for _prefix, root, _patterns in self.packages
            if not root.is_dir()
        ]

    def _files(self) -> Iterator[tuple[str, Path, str]]:
        for prefix, root, patterns in self.packages:
            for pattern in patterns:
                for path in sorted(root.glob(pattern)):
                    if path.is_file():
                        yield prefix, root, path.relative_to(root).as_posix()

    def find(self, path: str, find_all: bool = False) -> str | list[str]:
        matches = []
        for prefix, root, relative in self._files():
            if f"{prefix}/{relative}" == path:
                found = str(root / relative)
                if not find_all:
                    return found
                matches.append(found)
        return matches if find_all else ""

    def list(self, ignore_patterns: list[str] | None) -> Iterator[tuple[str, FileSystemStorage]]:
        for prefix, _root, relative in self._files():
            yield relative, self.storages[prefix]
