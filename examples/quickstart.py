#!/usr/bin/env python3
"""Blueprint from Python, start to finish, with the generated client (clients/python).

    python examples/quickstart.py [--url http://127.0.0.1:8080] [--token T] [--out quickstart-out]

1. List the stored models, best held-out accuracy first, and pick a perceptual-dm one.
2. Evaluate it on 2,000 fresh held-out trials (seed 11).
3. Fetch those very trials (GET /tasks/perceptual-dm/trials, as .npy), download the model's
   ONNX file, and run it in onnxruntime here.
4. Check that the accuracy computed here equals the server's, exactly.
5. Plot the psychometric curve (P(choose theta = 0) against signed coherence, Wilson 95%
   intervals, the logistic fit) with matplotlib, saved to OUT/psychometric.png.

Exits non-zero, naming the step, if anything disagrees. CI runs it against a live server on
the demo store (scripts/python-client.sh quickstart).
"""

import argparse
import io
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")  # saved, not shown
import matplotlib.pyplot as plt
import numpy as np
import onnxruntime

from blueprint_client import AuthenticatedClient, Client
from blueprint_client.api.evaluations import evaluate_model
from blueprint_client.api.models import get_model_onnx, list_models
from blueprint_client.api.tasks import get_trials
from blueprint_client.models import EvaluateRequest, Problem

N_TRIALS = 2000
SEED = 11


def fail(step: str, detail: object) -> None:
    sys.exit(f"quickstart: {step} failed: {detail}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--token", default=None, help="the server's write token, if it has one")
    parser.add_argument("--out", default="quickstart-out", type=pathlib.Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    client = (
        AuthenticatedClient(base_url=args.url, token=args.token, timeout=120)
        if args.token
        else Client(base_url=args.url, timeout=120)
    )

    # 1. The best perceptual-dm model.
    page = list_models.sync(client=client, task="perceptual-dm", sort="-val_accuracy", limit=5)
    if page is None or isinstance(page, Problem) or not page.items:
        fail("listing perceptual-dm models", page)
    model = page.items[0]
    print(f"model {model.id}: {model.name} ({model.variant}), trainer's held-out accuracy {model.val_accuracy:.4f}")

    # 2. The server's evaluation.
    evaluation = evaluate_model.sync(
        id=model.id, client=client, body=EvaluateRequest(n_trials=N_TRIALS, seed=SEED)
    )
    if evaluation is None or isinstance(evaluation, Problem):
        fail("evaluating", evaluation)
    print(f"server: accuracy {evaluation.accuracy:.4f} on {N_TRIALS} trials (seed {SEED})")

    # 3. The same trials, and the model, run here.
    # The generated functions parse JSON answers; a .npy answer is read as raw bytes through
    # the client's own httpx session (same base URL, token and timeout).
    def npy(array: str) -> np.ndarray:
        response = client.get_httpx_client().get(
            "/api/v1/tasks/perceptual-dm/trials",
            params={"n": N_TRIALS, "seed": SEED, "model_id": model.id, "format": "npy", "array": array},
        )
        if response.status_code != 200:
            fail(f"fetching the trials' {array}", response.text[:300])
        return np.load(io.BytesIO(response.content))

    # The same trials as JSON, through the generated function: their labels agree.
    first = get_trials.sync(task="perceptual-dm", client=client, n=20, seed=SEED, model_id=model.id)
    if first is None or isinstance(first, Problem):
        fail("fetching trials as JSON", first)

    inputs, labels = npy("inputs"), npy("labels")
    if list(labels[:20]) != list(first.labels):
        fail("matching the JSON and .npy trials", f"{list(labels[:20])} vs {first.labels}")
    onnx = get_model_onnx.sync_detailed(id=model.id, client=client)
    if onnx.status_code != 200:
        fail("downloading the ONNX file", onnx.status_code)
    (args.out / "model.onnx").write_bytes(onnx.content)
    session = onnxruntime.InferenceSession(onnx.content, providers=["CPUExecutionProvider"])
    input_name = session.get_inputs()[0].name
    logits = session.run(["logits"], {input_name: inputs})[0]
    choices = logits.argmax(axis=1)  # first maximum on ties, as the server
    accuracy_here = float((choices == labels).mean())
    print(f"here:   accuracy {accuracy_here:.4f} ({inputs.shape[0]} trials × {inputs.shape[1]} steps, onnxruntime {onnxruntime.__version__})")

    # 4. Exactly the same.
    if accuracy_here != evaluation.accuracy:
        fail("reproducing the server's accuracy", f"{accuracy_here} here, {evaluation.accuracy} on the server")

    # 5. The psychometric curve.
    curve = evaluation.psychometric
    if curve is None or not curve.points:
        fail("reading the psychometric curve", curve)
    x = np.array([p.signed_coherence for p in curve.points])
    p = np.array([p.p_theta_0 for p in curve.points])
    low = np.array([point.low for point in curve.points])
    high = np.array([point.high for point in curve.points])
    figure, axes = plt.subplots(figsize=(6, 4))
    axes.errorbar(x, p, yerr=[p - low, high - p], fmt="o", capsize=3, label="measured (95% Wilson)")
    fit = curve.fit
    if fit is not None and hasattr(fit, "slope"):
        xs = np.linspace(x.min(), x.max(), 200)
        axes.plot(xs, 1 / (1 + np.exp(-(fit.intercept + fit.slope * xs))),
                  label=f"logistic fit (PSE {fit.pse:+.2f} %, threshold {fit.threshold:.2f} %)")
    axes.set_xlabel("signed coherence (%; + toward θ = 0)")
    axes.set_ylabel("P(choose θ = 0)")
    axes.set_title(f"{model.name}: {N_TRIALS} held-out trials")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(args.out / "psychometric.png", dpi=120)
    print(f"saved {args.out / 'psychometric.png'}")


if __name__ == "__main__":
    main()
