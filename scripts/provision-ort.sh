#!/usr/bin/env bash
# Provisions the ONNX Runtime shared library that `ort` loads at run time (load-dynamic).
#
# The library comes from the pinned PyPI `onnxruntime` wheel (a package registry; ort's own
# download-binaries feature cannot reach its CDN here) and is extracted into the git-ignored
# cache folder .cache/onnxruntime/<version>/. Idempotent: a second run only prints the path.
#
#   scripts/provision-ort.sh            # prints the library's absolute path on stdout
#   ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh   # the CUDA build, where wanted
set -euo pipefail

ORT_VERSION="${ORT_VERSION:-1.32.0}"
ORT_PACKAGE="${ORT_PACKAGE:-onnxruntime}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/$ORT_PACKAGE/$ORT_VERSION"
library="$cache/libonnxruntime.so.$ORT_VERSION"

if [[ -f "$library" ]]; then
    echo "$library"
    exit 0
fi

python="$(command -v python3 || command -v python || true)"
if [[ -z "$python" ]]; then
    echo "provision-ort: python3 with pip is needed to fetch the $ORT_PACKAGE wheel from PyPI" >&2
    exit 1
fi

mkdir -p "$cache/wheel"
echo "provision-ort: fetching $ORT_PACKAGE==$ORT_VERSION from PyPI into $cache" >&2
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$cache/wheel" "$ORT_PACKAGE==$ORT_VERSION" >&2

# Extract every shared library of onnxruntime/capi except the Python binding.
"$python" - "$cache" <<'PY'
import glob, os, sys, zipfile
cache = sys.argv[1]
wheels = glob.glob(os.path.join(cache, "wheel", "*.whl"))
if len(wheels) != 1:
    sys.exit(f"provision-ort: expected one wheel in {cache}/wheel, found {wheels}")
with zipfile.ZipFile(wheels[0]) as wheel:
    for name in wheel.namelist():
        base = os.path.basename(name)
        if "/capi/" in name and base.startswith("lib") and ".so" in base:
            target = os.path.join(cache, base)
            with wheel.open(name) as src, open(target + ".part", "wb") as dst:
                dst.write(src.read())
            os.replace(target + ".part", target)
PY
rm -rf "$cache/wheel"

if [[ ! -f "$library" ]]; then
    echo "provision-ort: the wheel held no libonnxruntime.so.$ORT_VERSION" >&2
    exit 1
fi
echo "$library"
