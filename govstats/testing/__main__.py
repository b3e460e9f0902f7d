"""`python -m govstats.testing [DIR]`: write the generated sample reports (default data/raw/synthetic)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .sample import write_sample


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m govstats.testing", description=__doc__)
    parser.add_argument("out_dir", nargs="?", default="data/raw/synthetic", type=Path)
    args = parser.parse_args(argv)
    print(f"wrote {len(write_sample(args.out_dir))} generated reports to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
