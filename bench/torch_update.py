"""One training update of the Blueprint RNN in PyTorch on CPU, for the side-by-side benchmark.

Run by `make bench` (which installs torch from PyPI into .cache/bench-venv), called by
`cargo bench -p blueprint-trainer --bench update` with the same shapes; prints one JSON line.

The update is the same computation as the Rust engine's: forward over T steps of
h = relu(x W_in + h W_rec + b), softmax cross-entropy on the last step, backward by autograd,
plus the variant's penalty on W_rec (L1; L1 ⊙ D; L1 ⊙ D ⊙ C with C = expm(S^-1/2 |W| S^-1/2)
differentiated through torch.linalg.matrix_exp), and one Adam step.
"""
import json
import sys
import time

import torch

def main():
    args = json.loads(sys.argv[1])
    torch.manual_seed(0)
    torch.set_num_threads(args["threads"])
    n, batch, steps, n_in, n_out = args["hidden"], args["batch"], args["steps"], args["n_in"], args["n_out"]
    w_in = torch.nn.Parameter(torch.randn(n_in, n) * 0.1)
    w_rec = torch.nn.Parameter(torch.linalg.qr(torch.randn(n, n))[0])
    b = torch.nn.Parameter(torch.zeros(n))
    w_out = torch.nn.Parameter(torch.randn(n, n_out) * 0.1)
    b_out = torch.nn.Parameter(torch.zeros(n_out))
    params = [w_in, w_rec, b, w_out, b_out]
    opt = torch.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    x = torch.rand(batch, steps, n_in)
    y = torch.randint(0, n_out, (batch,))
    d = torch.rand(n, n)

    def penalty(variant):
        a = w_rec.abs()
        if variant == "W":
            return 0.3 * a.sum()
        if variant == "WD*":
            return 0.3 * (a * d).sum()
        s = a.sum(dim=1).clamp_min(1e-12).rsqrt()
        c = torch.linalg.matrix_exp(s[:, None] * a * s[None, :])
        c = c - torch.diag(torch.diag(c))
        return 0.3 * (a * d * c).sum()

    def update(variant):
        opt.zero_grad(set_to_none=True)
        h = torch.zeros(batch, n)
        drive = x @ w_in + b
        for t in range(steps):
            h = torch.relu(drive[:, t] + h @ w_rec)
        loss = torch.nn.functional.cross_entropy(h @ w_out + b_out, y) + penalty(variant)
        loss.backward()
        opt.step()

    results = {}
    for variant in args["variants"]:
        for _ in range(args["warmup"]):
            update(variant)
        times = []
        for _ in range(args["repeats"]):
            start = time.perf_counter()
            update(variant)
            times.append(time.perf_counter() - start)
        times.sort()
        results[variant] = times[len(times) // 2]

    # The best single-precision matrix-multiply rate torch reaches here, on the update's shapes.
    best = 0.0
    for (m, k, p) in [(batch, n, n), (batch * steps, n, n), (n, batch * steps, n), (1024, 1024, 1024)]:
        a, bm = torch.rand(m, k), torch.rand(k, p)
        for _ in range(3):
            a @ bm
        reps, start = 0, time.perf_counter()
        while time.perf_counter() - start < 0.3:
            a @ bm
            reps += 1
        best = max(best, 2.0 * m * k * p * reps / (time.perf_counter() - start))
    print(json.dumps({"median_seconds": results, "best_sgemm_flops": best, "torch": torch.__version__,
                      "threads": torch.get_num_threads()}))

main()
