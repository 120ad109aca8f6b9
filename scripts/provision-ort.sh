#!/usr/bin/env bash
# Provisions the ONNX Runtime shared library that `ort` loads at run time (load-dynamic).
#
# The library comes from the pinned PyPI `onnxruntime` wheel (a package registry; ort's own
# download-binaries feature cannot reach its CDN here) and is extracted into the git-ignored
# cache folder .cache/onnxruntime/<version>/. Idempotent: a second run only prints the path.
#
#   scripts/provision-ort.sh            # prints the library's absolute path on stdout
#   ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh   # the CUDA build, where wanted
#
# The CUDA build (onnxruntime-gpu, whose newest PyPI release is 1.31.1) also needs the CUDA
# runtime libraries it links against: cudart, cuBLAS(Lt), cuDNN, cuFFT, cuRAND, NVRTC and
# nvJitLink, from NVIDIA's PyPI wheels pinned in scripts/cuda-wheels.txt (the versions pip
# resolves for `onnxruntime-gpu[cuda,cudnn]==1.31.1`). They are extracted into
# .cache/onnxruntime-gpu/<version>/cuda/; `make run-gpu` puts that folder on LD_LIBRARY_PATH.
# No system CUDA is needed, only the NVIDIA driver.
set -euo pipefail

ORT_PACKAGE="${ORT_PACKAGE:-onnxruntime}"
if [[ "$ORT_PACKAGE" == "onnxruntime-gpu" ]]; then
    ORT_VERSION="${ORT_VERSION:-1.31.1}"
else
    ORT_VERSION="${ORT_VERSION:-1.32.0}"
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/$ORT_PACKAGE/$ORT_VERSION"
library="$cache/libonnxruntime.so.$ORT_VERSION"
cuda_ready="$cache/cuda/.complete"

if [[ -f "$library" && ( "$ORT_PACKAGE" != "onnxruntime-gpu" || -f "$cuda_ready" ) ]]; then
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

if [[ "$ORT_PACKAGE" == "onnxruntime-gpu" && ! -f "$cuda_ready" ]]; then
    mkdir -p "$cache/cuda-wheels"
    echo "provision-ort: fetching the pinned CUDA runtime wheels (scripts/cuda-wheels.txt)" >&2
    grep -v '^#' "$root/scripts/cuda-wheels.txt" | grep -v '^$' | xargs \
        "$python" -m pip download --quiet --disable-pip-version-check --no-deps \
        --only-binary=:all: -d "$cache/cuda-wheels" >&2
    # Every shared library under nvidia/*/lib of every wheel, flat into cuda/.
    "$python" - "$cache" <<'PY'
import glob, os, sys, zipfile
cache = sys.argv[1]
target_dir = os.path.join(cache, "cuda")
os.makedirs(target_dir, exist_ok=True)
count = 0
for path in sorted(glob.glob(os.path.join(cache, "cuda-wheels", "*.whl"))):
    with zipfile.ZipFile(path) as wheel:
        for name in wheel.namelist():
            base = os.path.basename(name)
            if name.startswith("nvidia/") and "/lib/" in name and ".so" in base:
                target = os.path.join(target_dir, base)
                with wheel.open(name) as src, open(target + ".part", "wb") as dst:
                    dst.write(src.read())
                os.replace(target + ".part", target)
                count += 1
if count == 0:
    sys.exit("provision-ort: the CUDA wheels held no shared library")
open(os.path.join(target_dir, ".complete"), "w").write(f"{count} libraries\n")
PY
    rm -rf "$cache/cuda-wheels"
fi

if [[ ! -f "$library" ]]; then
    echo "provision-ort: the wheel held no libonnxruntime.so.$ORT_VERSION" >&2
    exit 1
fi
echo "$library"
