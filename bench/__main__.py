"""`make bench`: run the benchmarks and print their table; exit 1 when one is over budget.

Each benchmark runs against a fresh database of its own: a temporary SQLite file, or the
PostgreSQL server named by ``BENCH_DATABASE_URL`` (a database ``passend_bench`` there is
created and dropped). Results are also written to ``docs/benchmarks.md`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import sys

from bench.harness import run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--rows", type=int, default=50_000, help="roster rows (default 50000)")
    parser.add_argument("--no-write", action="store_true", help="do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    return run(rows=args.rows, write=not args.no_write)


if __name__ == "__main__":
    sys.exit(main())
