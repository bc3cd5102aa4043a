"""Benchmark: certificate rendering (reportlab, embedded CJK font, vector QR code) and PAdES
signing (pyHanko, ECDSA P-256), alone and together.

    .venv/bin/python bench/documents.py [--runs 200] [--warmup 10] [--write]

Runs in a temporary var directory with a temporary demo PKI; needs no database. With
``--write`` the results replace the "## Documents (bench/documents.py)" section of
docs/performance.md (other sections are kept).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SECTION = "## Documents (bench/documents.py)"
PERFORMANCE_MD = PROJECT / "docs" / "performance.md"
HEADER = (
    "# Performance\n\n"
    "Measured numbers, one section per benchmark script under `bench/`. Each section is\n"
    "rewritten by its script (`--write`); rerun on the target machine before relying on them.\n"
)


def setup(tmp: Path) -> None:
    sys.path.insert(0, str(PROJECT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zonegov.settings"
    os.environ["ZONEGOV_VAR_DIR"] = str(tmp / "var")
    os.environ["ZONEGOV_PKI_DIR"] = str(tmp / "pki")
    os.environ["MEDIA_ROOT"] = str(tmp / "media")
    for name in ("ZONEGOV_SIGNING_KEY", "ZONEGOV_SIGNING_CERT", "ZONEGOV_SIGNING_CHAIN"):
        os.environ.pop(name, None)
    import django

    django.setup()


def layout_for(i: int):
    from zonegov.core.services.documents import DocumentLayout

    number = f"ZG-2026-{i:06d}"
    return DocumentLayout(
        title="食品经营许可证",
        number=number,
        fields=[
            ("经营者名称", "平顶山市某某餐饮管理有限公司"),
            ("统一社会信用代码", "91410400MA9F8U6X33"),
            ("法定代表人", "张三"),
            ("住所", "河南省平顶山市高新区神马大道与长安大道交叉口东北角创新大厦A座12层1201室"),
            ("经营场所", "高新区遵化店镇某某路88号"),
            ("主体业态", "餐饮服务经营者（中型餐馆）"),
            (
                "经营项目",
                "热食类食品制售；冷食类食品制售；生食类食品制售（不含生食水产品）；"
                "半成品制售；自制饮品制售；预包装食品（含冷藏冷冻食品）销售",
            ),
            ("有效期至", "2031年3月4日"),
        ],
        paragraphs=[
            "经审查，该经营者符合《中华人民共和国食品安全法》及《食品经营许可和备案管理办法》"
            "规定的条件，准予许可，特发此证。",
            "许可证有效期内，如许可事项发生变化，应当依法申请变更。",
        ],
        issuer_name="平顶山高新技术产业开发区管理委员会",
        issued_on=date(2026, 3, 5),
        verify_url=f"https://zwfw.example.cn/verify/{number}/",
    )


def measure(fn: Callable[[int], object], runs: int, warmup: int) -> list[float]:
    for i in range(warmup):
        fn(10_000 + i)
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load() -> str:
    try:
        return "/".join(f"{v:.1f}" for v in os.getloadavg())
    except OSError:
        return "n/a"


def run(runs: int, warmup: int) -> str:
    from django.conf import settings

    from zonegov.core import pki
    from zonegov.core.services.documents import render_pdf, sign_pdf, verification

    load_before = load()
    t0 = time.perf_counter()
    pki.ensure_demo_pki(settings.ZONEGOV_PKI_DIR)
    pki_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    first_pdf = render_pdf(layout_for(0))
    first_render_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    first_signed = sign_pdf(first_pdf, reason="bench", location="bench")
    first_sign_ms = (time.perf_counter() - t0) * 1000

    unsigned = {i: render_pdf(layout_for(i)) for i in range(runs)}
    unsigned.update({10_000 + i: render_pdf(layout_for(10_000 + i)) for i in range(warmup)})

    render = measure(lambda i: render_pdf(layout_for(i)), runs, warmup)
    sign = measure(lambda i: sign_pdf(unsigned[i], reason="bench", location="bench"), runs, warmup)
    both = measure(
        lambda i: sign_pdf(render_pdf(layout_for(i)), reason="bench", location="bench"),
        runs,
        warmup,
    )
    material = pki.signing_material()
    accepted = pki.accepted_fingerprints()
    signed_files = {
        i: sign_pdf(unsigned[i], reason="bench", location="bench")
        for i in list(range(runs)) + [10_000 + i for i in range(warmup)]
    }
    check = measure(
        lambda i: verification._check_signature_uncached(signed_files[i], material, accepted),
        runs,
        warmup,
    )
    first = verification._check_signature_uncached(signed_files[0], material, accepted)
    assert first.signature_valid

    rows = [
        ("render (reportlab, fonts subset + embedded, vector QR)", render),
        ("sign (pyHanko PAdES B-B, ECDSA P-256)", sign),
        ("render + sign", both),
        ("signature check (pyHanko validation, uncached)", check),
    ]
    ratio = statistics.median(both) / statistics.median(render)
    load_after = load()
    nproc = os.cpu_count()
    try:
        nproc_text = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc_text = str(nproc)
    lines = [
        SECTION,
        "",
        f"Run: `.venv/bin/python bench/documents.py --runs {runs} --write` on {date.today()}.",
        f"Machine: {cpu_model()}, {nproc_text} cores (one busy), Python "
        f"{platform.python_version()}; reportlab {version('reportlab')}, "
        f"pyHanko {version('pyHanko')}, segno {version('segno')}, "
        f"cryptography {version('cryptography')}. Load average (1/5/15 min) before "
        f"{load_before}, after {load_after}: other work on the machine shows in p95 and max.",
        f"Each step {runs} runs after {warmup} warm-up runs, a different certificate number "
        "(and QR code) each run; the A4 food-licence sample from the script "
        "(8 fields, 2 paragraphs, seal, QR code).",
        "",
        "| step | median ms | p95 ms | min / max ms |",
        "|---|---:|---:|---:|",
    ]
    for name, values in rows:
        lines.append(
            f"| {name} | **{statistics.median(values):.2f}** | {p95(values):.2f} | "
            f"{min(values):.2f} / {max(values):.2f} |"
        )
    lines += [
        "",
        f"render + sign is **{ratio:.2f}×** render alone (medians).",
        "",
        f"Sizes: unsigned {len(first_pdf):,} B, signed {len(first_signed):,} B. "
        f"One-off per process: demo PKI {pki_ms:.0f} ms, first render {first_render_ms:.0f} ms "
        f"(font registration: parsing the 4 MB Droid Sans Fallback), first signature "
        f"{first_sign_ms:.0f} ms (pyHanko sizes the signature container with a dry-run "
        "signature; later signatures reuse the measured size).",
        "",
        "Notes: about 7 ms of each render is segno choosing the QR mask by penalty score "
        "(ISO/IEC 18004 requires it; a fixed mask would save it). Embedding fonts (subsetting "
        "at save time) costs most of the rest; the research note's 5 ms used the "
        "non-embedded STSong-Light CID font. The QR verification page keeps the archive file's "
        "verdict on the document's row (re-checked after a status change, each day, or when "
        "the file's size or time changes), so repeat scans skip the signature check; uploads "
        "reuse a per-process signature cache for the same bytes on the same day.",
        "",
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    text = PERFORMANCE_MD.read_text() if PERFORMANCE_MD.exists() else HEADER
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.strip() == SECTION), None)
    if start is None:
        new = text.rstrip("\n") + "\n\n" + section
    else:
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines)
        )
        after = "".join(lines[end:])
        new = "".join(lines[:start]) + section + ("\n" + after if after else "")
    PERFORMANCE_MD.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE_MD.write_text(new.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zonegov-bench-") as tmp:
        setup(Path(tmp))
        section = run(max(1, args.runs), max(0, args.warmup))
    print(section)
    if args.write:
        write_section(section)
        print(f"written to {PERFORMANCE_MD}")


if __name__ == "__main__":
    main()
