#!/usr/bin/env bash
# The GPU check of issue 12, as one script for a machine with an NVIDIA GPU: provision the CUDA
# build of ONNX Runtime and the CUDA runtime wheels (or use BLUEPRINT_GPU_ORT and
# BLUEPRINT_CUDA_LIBS where they are already there), then run the CUDA parity test and the
# CUDA-against-CPU benchmark. Prints the README's table. Needs ORT-independent tools only:
# cargo, python3 with pip (for provisioning), nvidia-smi.
set -euo pipefail
cd "$(dirname "$0")/.."

nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
lib="${BLUEPRINT_GPU_ORT:-$(ORT_PACKAGE=onnxruntime-gpu scripts/provision-ort.sh)}"
cuda="${BLUEPRINT_CUDA_LIBS:-$(dirname "$lib")/cuda}"
export BLUEPRINT_GPU_ORT="$lib"
export LD_LIBRARY_PATH="$cuda:$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# The CPU build stays the one the rest of the tests load.
export ORT_DYLIB_PATH="${ORT_DYLIB_PATH:-$lib}"

echo "--- CUDA parity (logits within 1e-4 of the CPU's) ---"
cargo test --locked -p blueprint-server --test gpu -- --nocapture
echo "--- CUDA against CPU throughput ---"
cargo bench --locked -p blueprint-server --bench gpu
