"""Bounded checking of PDF files from strangers (the public verifier).

A PDF of a few kilobytes can make a PDF reader do unbounded work: a Flate stream that
inflates to gigabytes, a cross-reference table or stream that declares millions of
entries, hundreds of thousands of objects, arrays nested deeper than the interpreter's
stack. Two layers keep one upload from stalling a worker:

1. :func:`precheck` reads the raw bytes before any PDF parser does, in time linear in
   the file size: the number of objects and streams (``obj`` keywords, ``/N`` of object
   streams), the cross-reference entries declared (``/Size`` of every trailer and xref
   stream, ``/Index`` ranges, classic subsection headers), and the total size of every Flate
   stream once inflated — inflated incrementally with ``zlib.decompressobj`` and a
   ``max_length``, so a bomb is abandoned after the budget, not after it has filled the
   memory. Filter chains (``[/FlateDecode /FlateDecode]``) are inflated stage by stage,
   each stage counted.
2. :func:`run_bounded` runs the parse and the signature validation in a forked child
   process under ``RLIMIT_AS`` (memory) and ``RLIMIT_CPU``, with a wall-clock deadline
   after which the parent kills it (SIGKILL). The child only computes: it never touches
   the database (the hash lookup stays in the parent) and sends its answer back as JSON
   through a pipe. Fork is cheap on Linux (about a millisecond for a Django worker), so a
   genuine certificate costs no more to check than before. A ``RecursionError`` (deep
   nesting; Python's recursion limit bounds it) or ``MemoryError`` counts as over the limit.

Either layer answers :class:`OverLimit` with a reason in Chinese; the caller reports the
file as "cannot be checked" — neither genuine nor proven fake. Limits are
``settings.ZONEGOV_VERIFY_LIMITS`` (docs/deployment.md); our own certificates use a
fraction of each (about 20 objects, 50 KB inflated, 25 ms).
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import re
import resource
import select
import signal
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DEFAULT_LIMITS = {
    "inflated_bytes": 16 * 1024 * 1024,
    "objects": 10_000,
    "xref_entries": 10_000,
    "seconds": 2.0,
    "memory_bytes": 256 * 1024 * 1024,
}

_CHUNK = 64 * 1024
_MAX_ANSWER_BYTES = 1024 * 1024
# The stack a child may use for recursion: deep enough for any real PDF, far from the
# C stack's end (a crash would still only end the child).
_CHILD_RECURSION_LIMIT = 1000


@dataclass(frozen=True)
class Limits:
    inflated_bytes: int
    objects: int
    xref_entries: int
    seconds: float
    memory_bytes: int


def limits() -> Limits:
    configured = {**DEFAULT_LIMITS, **getattr(settings, "ZONEGOV_VERIFY_LIMITS", {})}
    return Limits(
        inflated_bytes=int(configured["inflated_bytes"]),
        objects=int(configured["objects"]),
        xref_entries=int(configured["xref_entries"]),
        seconds=float(configured["seconds"]),
        memory_bytes=int(configured["memory_bytes"]),
    )


class OverLimit(Exception):
    """Checking the file would exceed the verifier's budget; ``detail`` says which one."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):g}"


# --- 1. the structural pre-check -------------------------------------------------------------

_SIZE = re.compile(rb"/Size\s*(\d+)")
_INDEX = re.compile(rb"/Index\s*\[([\d\s]*)\]")
_SUBSECTION = re.compile(rb"\s*(\d{1,10})\s+(\d{1,10})[ \t]*(?:\r\n|\n|\r)")
_ROW_BYTES = 20  # a classic cross-reference row (ISO 32000-1, 7.5.4)
_STREAM_EOL = (b"\r\n", b"\n", b"\r")
_FLATE = re.compile(rb"/(?:FlateDecode|Fl)(?![A-Za-z0-9])")
_OBJSTM = re.compile(rb"/Type\s*/ObjStm\b")
_OBJSTM_N = re.compile(rb"/N\s*(\d+)")
_DICT_LOOKBACK = 64 * 1024


def _inflate(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Inflate a zlib stream given in chunks, yielding at most ``_CHUNK`` bytes at a time
    (never holding a whole bomb in memory). Stops quietly at corrupt data, as a reader
    would stop producing output there."""
    inflater = zlib.decompressobj()
    try:
        for chunk in chunks:
            pending = chunk
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                if out:
                    yield out
                pending = inflater.unconsumed_tail
            if inflater.eof:
                return
        while not inflater.eof:
            out = inflater.decompress(b"", _CHUNK)
            if not out:
                return
            yield out
    except zlib.error:
        return


def _raw_chunks(data: bytes, start: int, end: int) -> Iterator[bytes]:
    view = memoryview(data)
    for at in range(start, end, _CHUNK):
        yield bytes(view[at : min(at + _CHUNK, end)])


def _stream_inflated(data: bytes, start: int, end: int, stages: int, budget: int) -> int:
    """Bytes produced by inflating ``data[start:end]`` ``stages`` times (a filter chain),
    every stage's output counted; stops once ``budget`` is passed."""
    counted = [0] * stages
    chunks: Iterator[bytes] = _raw_chunks(data, start, end)

    def counting(source: Iterator[bytes], stage: int) -> Iterator[bytes]:
        for chunk in source:
            counted[stage] += len(chunk)
            yield chunk

    for stage in range(stages):
        chunks = counting(_inflate(chunks), stage)
    for _chunk in chunks:
        if sum(counted) > budget:
            break
    return sum(counted)


def _classic_entries(data: bytes, cap: int) -> int:
    """Entries declared by the subsection headers of every classic cross-reference table
    (``xref`` then ``first count`` lines), counting no further than ``cap + 1``."""
    declared = subsections = 0
    at = data.find(b"xref")
    while at >= 0:
        if data[max(0, at - 5) : at] != b"start":
            pos = at + 4
            while True:
                header = _SUBSECTION.match(data, pos)
                if header is None:
                    break
                subsections += 1
                declared += int(header[2])
                if declared > cap or subsections > cap:
                    return max(declared, subsections)
                pos = header.end() + int(header[2]) * _ROW_BYTES
        at = data.find(b"xref", at + 4)
    return declared


def precheck(data: bytes, bounds: Limits) -> None:
    """Raise :class:`OverLimit` when the raw bytes show that parsing ``data`` would exceed
    ``bounds`` (objects, cross-reference entries, inflated stream data). Every scan is a
    C-speed ``bytes`` search or an anchored match; Python loops run at most once per
    object, table or stream, and those are counted first."""
    too_many_objects = OverLimit(_("文件中的对象超过 %(n)d 个") % {"n": bounds.objects})
    # An object is "N G obj … endobj" and a stream "stream … endstream": more keywords
    # than twice the limit cannot be a file within it (and bound the loops below).
    ends = data.count(b"endobj")
    objects = data.count(b"obj") - ends
    if objects > bounds.objects or ends > bounds.objects:
        raise too_many_objects
    if data.count(b"stream") > 2 * bounds.objects:
        raise too_many_objects
    too_many_entries = OverLimit(
        _("交叉引用表声明的条目超过 %(n)d 个") % {"n": bounds.xref_entries}
    )
    # Each table, trailer or xref stream declares at least one entry.
    if max(data.count(b"xref"), data.count(b"/Size"), data.count(b"/Index")) > bounds.xref_entries:
        raise too_many_entries
    declared = max((int(m[1]) for m in _SIZE.finditer(data)), default=0)
    for match in _INDEX.finditer(data):
        declared = max(declared, sum(int(n) for n in match[1].split()[1::2]))
    declared = max(declared, _classic_entries(data, bounds.xref_entries))
    if declared > bounds.xref_entries:
        raise too_many_entries

    inflated = 0
    previous_end = 0
    at = data.find(b"stream")
    while at >= 0:
        start = next((at + 6 + len(eol) for eol in _STREAM_EOL if data.startswith(eol, at + 6)), -1)
        if data[max(0, at - 3) : at] == b"end" or start < 0:
            at = data.find(b"stream", at + 6)
            continue
        end = data.find(b"endstream", start)
        end = len(data) if end < 0 else end
        head = data[max(previous_end, at - _DICT_LOOKBACK) : at]
        obj = head.rfind(b"obj")
        dictionary = head[obj + 3 :] if obj >= 0 else head
        if _OBJSTM.search(dictionary):
            n = _OBJSTM_N.search(dictionary)
            objects += int(n[1]) if n else 0
            if objects > bounds.objects:
                raise too_many_objects
        stages = len(_FLATE.findall(dictionary))
        if stages:
            budget = bounds.inflated_bytes - inflated
            inflated += _stream_inflated(data, start, end, stages, budget)
            if inflated > bounds.inflated_bytes:
                raise OverLimit(
                    _("文件中的压缩内容解压后超过 %(mb)s MB") % {"mb": _mb(bounds.inflated_bytes)}
                )
        previous_end = end + 9
        at = data.find(b"stream", previous_end)


# --- 2. the killable child -------------------------------------------------------------------

_OVER_MEMORY = "memory"
_OVER_NESTING = "nesting"
_OVER_TIME = "time"
_CRASHED = "crashed"


def exhausted(exc: BaseException) -> bool:
    """Whether ``exc`` (or an exception it was raised from) means the process ran out of
    memory or stack: callers that catch every error must let these through."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError | RecursionError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _over(kind: str, bounds: Limits) -> OverLimit:
    if kind == _OVER_NESTING:
        return OverLimit(_("文件中的数组或字典嵌套层数过深"))
    if kind == _OVER_MEMORY:
        return OverLimit(_("核验所需内存超过 %(mb)s MB") % {"mb": _mb(bounds.memory_bytes)})
    if kind == _CRASHED:
        return OverLimit(_("核验进程因超出资源限制而终止"))
    return OverLimit(_("核验用时超过 %(s)g 秒") % {"s": bounds.seconds})


def _kind(exc: BaseException) -> str:
    current: BaseException | None = exc
    while current is not None:
        if isinstance(current, RecursionError):
            return _OVER_NESTING
        if isinstance(current, MemoryError):
            return _OVER_MEMORY
        current = current.__cause__ or current.__context__
    return _OVER_MEMORY


def _address_space() -> int | None:
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _limit_child(bounds: Limits) -> None:
    """In the child: cap the address space at what it already maps plus the budget, the
    CPU time at the time budget (rounded up, a backstop to the parent's deadline)."""
    current = _address_space()
    if current is not None:
        cap = current + bounds.memory_bytes
        try:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
        except (ValueError, OSError):
            logger.warning("pdfcheck: could not limit the address space", exc_info=True)
    cpu = max(1, math.ceil(bounds.seconds))
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    except (ValueError, OSError):
        logger.warning("pdfcheck: could not limit CPU time", exc_info=True)
    sys.setrecursionlimit(min(sys.getrecursionlimit(), _CHILD_RECURSION_LIMIT))


def _child(write_fd: int, work: Callable[[], Any], bounds: Limits) -> None:
    """The forked child: run ``work``, write ``{"ok": answer}`` or ``{"over": kind}`` as
    JSON, exit without running the parent's exit handlers (its database connection and
    temporary files are the parent's)."""
    code = 0
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # A collection would touch every object inherited from the parent and copy its
        # page (copy-on-write); the child lives for milliseconds, its memory is capped.
        gc.disable()
        _limit_child(bounds)
        try:
            message: dict[str, Any] = {"ok": work()}
        except (MemoryError, RecursionError) as exc:
            message = {"over": _kind(exc)}
        except Exception as exc:
            message = {"over": _kind(exc)} if exhausted(exc) else {"error": repr(exc)[:500]}
        payload = json.dumps(message, ensure_ascii=False).encode()
        view = memoryview(payload)
        while view:
            view = view[os.write(write_fd, view) :]
        os.close(write_fd)  # the parent reads its answer now, not after the teardown
    except BaseException:  # the child must never return into the caller's stack
        code = 1
    finally:
        os._exit(code)


def run_bounded(work: Callable[[], Any], bounds: Limits) -> Any:
    """Run ``work`` (which returns something JSON can carry) in a forked child under
    ``bounds``; return its answer, or raise :class:`OverLimit` when the child ran out of
    time, memory or stack, or died. Without ``os.fork`` (not Linux/macOS) ``work`` runs
    in-process: stack and memory errors still count, time is not bounded."""
    if not hasattr(os, "fork"):
        try:
            return work()
        except Exception as exc:
            if exhausted(exc):
                raise _over(_kind(exc), bounds) from exc
            raise
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child; the parent sees its answer
        os.close(read_fd)
        _child(write_fd, work, bounds)
    os.close(write_fd)
    received = bytearray()
    timed_out = False
    deadline = time.monotonic() + bounds.seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([read_fd], [], [], remaining)[0]:
                timed_out = True
                break
            chunk = os.read(read_fd, _CHUNK)
            if not chunk:
                break
            received += chunk
            if len(received) > _MAX_ANSWER_BYTES:
                break
    finally:
        os.close(read_fd)
        try:
            os.kill(pid, signal.SIGKILL)  # a child that finished is a zombie: no effect
        except ProcessLookupError:
            pass
        try:
            _pid, status = os.waitpid(pid, 0)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored)
            status = 0
    if timed_out:
        raise _over(_OVER_TIME, bounds)
    try:
        message = json.loads(received)
    except ValueError:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            raise _over(_OVER_TIME, bounds) from None
        logger.warning("pdfcheck: the child ended without an answer (status %s)", status)
        raise _over(_CRASHED, bounds) from None
    if "ok" in message:
        return message["ok"]
    if "over" in message:
        raise _over(message["over"], bounds)
    logger.error("pdfcheck: the check failed in the child: %s", message.get("error"))
    raise RuntimeError(message.get("error"))
