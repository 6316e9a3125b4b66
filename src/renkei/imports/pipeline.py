"""Reading and preparing an import file in a second process.

An import's time splits about evenly between preparing rows (decoding, mapping, normalizing
names, phones and emails, validating) and matching and writing them. Preparing needs no
database, so for a large file a child process reads and prepares batch after batch while
this process matches and writes the previous one: on a two-core machine the two halves
overlap. The child is started with "spawn" (a fresh interpreter: forking a process that
holds database connections and threads is unsafe), sets Django up, and sends each prepared
batch through a bounded queue, so memory stays flat however large the file.

The result is the same as preparing in this process (a test checks it); a file the child
cannot read raises the same ImportFileError here.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import queue as queue_module
import traceback
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation

from renkei.imports.readers import ImportFileError, SourceRow, open_table

# Below this file size preparing in this process is faster than starting a second one.
PARALLEL_MIN_BYTES = 1_000_000
# Prepared batches waiting in the queue (each about BATCH_SIZE rows).
QUEUE_DEPTH = 4
_POLL_SECONDS = 1.0


def batches(rows: Iterator[SourceRow], size: int) -> Iterator[list[SourceRow]]:
    while batch := list(islice(rows, size)):
        yield batch


def use_child(path: Path | str, *, force: bool | None = None) -> bool:
    """Whether to prepare the file in a child process: large files, when enabled."""
    if force is not None:
        return force
    if not settings.IMPORT_PARALLEL:
        return False
    try:
        return Path(path).stat().st_size >= PARALLEL_MIN_BYTES
    except OSError:
        return False


def prepared_in_child(
    *,
    path: str,
    encoding: str,
    sheet: str,
    mapping: dict[str, Any],
    now: dt.datetime,
    batch_size: int,
) -> Iterator[list[Any]]:
    """Yield the prepared batches (lists of PreparedRow or RowResult) of the file, prepared
    by a child process. Raises ImportFileError if the child cannot read the file and
    RuntimeError if it fails otherwise."""
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=QUEUE_DEPTH)
    child = context.Process(
        target=_produce,
        args=(channel, path, encoding, sheet, mapping, now, batch_size, translation.get_language()),
        name="renkei-import-reader",
        daemon=True,
    )
    child.start()
    try:
        while True:
            try:
                kind, payload = channel.get(timeout=_POLL_SECONDS)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        f"the import's reader process stopped (exit code {child.exitcode})"
                    ) from None
                continue
            if kind == "batch":
                yield payload
            elif kind == "done":
                return
            elif kind == "file-error":
                raise ImportFileError(payload)
            else:
                raise RuntimeError(f"the import's reader process failed:\n{payload}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=10)
        channel.close()
        channel.join_thread()


def _produce(
    channel: Any,
    path: str,
    encoding: str,
    sheet: str,
    mapping_data: dict[str, Any],
    now: dt.datetime,
    batch_size: int,
    language: str | None,
) -> None:
    """The child: set Django up, read and prepare, send batches, then "done"."""
    import django

    django.setup()
    from renkei.imports.mappings import Mapping
    from renkei.imports.services import prepare_batch

    if language:
        translation.activate(language)
    try:
        mapping = Mapping.from_dict(mapping_data)
        with open_table(path, encoding=encoding or None, sheet=sheet) as table:
            for batch in batches(table.rows(), batch_size):
                channel.put(("batch", prepare_batch(batch, mapping, now=now)))
    except ImportFileError as exc:
        channel.put(("file-error", exc.message))
        return
    except Exception:
        channel.put(("crash", traceback.format_exc()))
        return
    channel.put(("done", None))


def prepared_here(
    rows: Iterator[SourceRow], prepare: Callable[[list[SourceRow]], list[Any]], batch_size: int
) -> Iterator[list[Any]]:
    """The same batches, prepared in this process."""
    for batch in batches(rows, batch_size):
        yield prepare(batch)
