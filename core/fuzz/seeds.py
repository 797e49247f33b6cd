#!/usr/bin/env python3
"""Seed inputs for the fuzz targets, written into core/fuzz/seeds/TARGET/ (gitignored).

From the presets, the golden renders and fixtures, the literal inputs of the tests, and the
shared corpus of real apps and peer-linter fixtures (../shared/corpus/, when it is there). Each
seed is in its target's input format (see the comment at the top of each fuzz_targets/*.rs).
Deterministic: the same tree gives the same seeds.
"""

import base64
import hashlib
import pathlib
import re
import shutil
import zlib

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
OUT = FUZZ / "seeds"
PRESETS = 3  # core/src/presets.rs: PRESETS.len(); the values target picks one with a byte
PROFILES = 2
FILE_SEPARATOR = b"\xff"
MAX_SHARED_TEXT = 4 * 1024 * 1024  # app/src/share/link.rs


def texts(pattern, root):
    return [p.read_bytes() for p in sorted(root.glob(pattern))] if root.is_dir() else []


def rust_literals(path):
    """The string literals of a Rust source file that look like YAML or --set input."""
    out = []
    for m in re.finditer(r'"((?:[^"\\\n]|\\.)*)"', path.read_text()):
        raw = m.group(1)
        if ":" not in raw and "=" not in raw and "\\n" not in raw:
            continue
        text = re.sub(r"\\u\{([0-9a-fA-F]+)\}", lambda u: chr(int(u.group(1), 16)), raw)
        try:
            out.append(text.encode("latin-1", "backslashreplace").decode("unicode_escape").encode())
        except (UnicodeDecodeError, UnicodeEncodeError):
            continue
    return out


def deflate_raw(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


def write(target, seeds):
    folder = OUT / target
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for seed in seeds:
        (folder / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
    return len(set(seeds))


def main():
    presets = texts("presets/*.yaml", ROOT / "core")
    goldens = texts("golden/*.yaml", ROOT / "core" / "tests") + texts("fixtures/*.yaml", ROOT / "core" / "tests")
    real = texts("real/*.yaml", CORPUS)
    peers = texts("peers/**/*.y*ml", CORPUS) + texts("pod-security/**/*.y*ml", CORPUS)
    literals = []
    for source in ["core/src/source.rs", "core/src/source/fast.rs", "core/tests/hostile_input.rs", "core/src/merge.rs"]:
        literals += rust_literals(ROOT / source)
    manifests = goldens + real + peers
    yaml = presets + manifests + literals

    values = [bytes([pick]) + text for pick in range(PRESETS * PROFILES) for text in presets]
    values += [bytes([n % (PRESETS * PROFILES)]) + text for n, text in enumerate(literals)]

    many = [FILE_SEPARATOR.join(manifests[i : i + 3]) for i in range(0, len(manifests), 3)]
    manifest_seeds = manifests + many + literals

    sets = []
    for source in ["core/src/setargs.rs", "core/src/load.rs", "core/tests/hostile_input.rs"]:
        sets += [s for s in rust_literals(ROOT / source) if b"=" in s and b"\n" not in s]
    sets += [b"components.todo-backend.replicas=3\n\x01config.LOG_LEVEL=debug", b"a[0].b={x,y},c\\.d=1"]

    share = []
    for text in presets + real[:4]:
        packed = base64.urlsafe_b64encode(deflate_raw(text)).rstrip(b"=")
        share.append(b"\x00p=demo&r=production&m=values&v=" + packed)
        share.append(b"\x01" + deflate_raw(text))
        share.append(b"\x02kubeplay saved state\npreset=demo\nprofile=minikube\nmode=manifests\n\n" + text)
    # A deflate bomb just past the cap, and one at it.
    share.append(b"\x01" + deflate_raw(b"a" * (MAX_SHARED_TEXT + 1)))
    share.append(b"\x01" + deflate_raw(b"a" * MAX_SHARED_TEXT))

    counts = {
        "values": write("values", values),
        "manifests": write("manifests", manifest_seeds),
        "set_args": write("set_args", sets),
        "share_link": write("share_link", share),
        "yaml_readers": write("yaml_readers", yaml),
    }
    print("seeds: " + ", ".join(f"{t} {n}" for t, n in counts.items()) + f" (in {OUT.relative_to(ROOT)})")


if __name__ == "__main__":
    main()
