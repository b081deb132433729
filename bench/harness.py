"""Set up a throw-away database, run each benchmark, print the table and keep the results."""

from __future__ import annotations

import datetime
import os
import platform
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "docs" / "benchmarks.md"


def _configure(workdir: Path) -> str:
    """Point passend at a fresh database and media folder before Django starts."""
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["PASSEND_MEDIA_ROOT"] = str(workdir / "media")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passend.settings")
    return url.split(":", 1)[0]


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def table(results) -> str:
    lines = [
        "| benchmark | database | measure | value | budget | within |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        for m in r.measures:
            budget = "" if m.budget is None else f"≤ {m.budget:g} {m.unit}"
            within = "" if m.budget is None else ("yes" if m.ok else "**NO**")
            lines.append(
                f"| {r.name} | {r.database} | {m.label} | {m.shown} | {budget} | {within} |"
            )
    return "\n".join(lines)


def write_results(text: str, database: str) -> None:
    """Replace this database's section of docs/benchmarks.md, keep the others."""
    marker_start, marker_end = f"<!-- bench:{database} -->", f"<!-- /bench:{database} -->"
    header = (
        "# Benchmarks\n\nWritten by `make bench` (`python -m bench`); budgets live here, not in "
        "timed tests. Each section is the latest run on that database.\n"
    )
    old = RESULTS.read_text() if RESULTS.exists() else header
    section = f"{marker_start}\n{text}\n{marker_end}"
    if marker_start in old and marker_end in old:
        before, rest = old.split(marker_start, 1)
        new = before + section + rest.split(marker_end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + section + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(new)


def run(*, rows: int, write: bool) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="passend-bench-"))
    try:
        database = _configure(workdir)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        from bench import roster

        results = [roster.bench(rows=rows, database=database)]
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
        text = (
            f"## {database} ({stamp})\n\nMachine: {machine()}.\n\n{table(results)}\n\n"
            + "\n".join(f"- {r.name}: {r.note}" for r in results if r.note)
        )
        print(text)
        if write:
            write_results(text, database)
            print(f"\nwritten to {RESULTS.relative_to(ROOT)}")
        failed = [m.label for r in results for m in r.measures if not m.ok]
        if failed:
            print(f"\nover budget: {', '.join(failed)}")
            return 1
        return 0
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
