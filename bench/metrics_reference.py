"""The metric suite of `blueprint_core::metrics` computed by networkx, bctpy, scipy (and
leidenalg, when installed) the way the study calls them, each call timed.

Run by `cargo bench -p blueprint-core --bench metrics` when BLUEPRINT_METRICS_PYTHON names a
Python with `networkx bctpy scipy numpy` (and optionally `leidenalg`) from PyPI; it is given
one JSON argument:

    {"w": "<W.npy>", "distances": "<D.npy>", "n_nulls": 1000, "matched_nulls": 20,
     "rewiring_iterations": 10, "restarts": 10, "seed": 1}

(with `"study_only": true`, only the study's four metrics and the binarisation are computed)

and prints one JSON object: {"versions": {...}, "metrics": {name: {"value": v, "seconds": t,
...}}}. The study's four metrics are its `model_metrics` verbatim (gaussian_kde entropy,
np.quantile binarisation, greedy_modularity_communities, degree_assortativity_coefficient,
bct.clustering_coef_bu / efficiency_bin with 1,000 nulls (U + U.T)/2 > 0.7 from
np.random.rand); the better metrics use the libraries' usual calls (nx.louvain_communities,
leidenalg, nx.gnm_random_graph, bct.randmio_und, bct.charpath, bct.clustering_coef_wu,
bct.distance_wei, np.linalg.eigvals, scipy.linalg.expm). Single-threaded BLAS is the caller's
choice (the bench sets OMP/OPENBLAS/MKL_NUM_THREADS=1).
"""

import json
import sys
import time

import bct
import networkx as nx
import numpy as np
import scipy
import scipy.linalg
from scipy.stats import entropy as scipy_entropy
from scipy.stats import gaussian_kde

try:
    import igraph
    import leidenalg
except ImportError:  # Leiden's reference is optional.
    leidenalg = None


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def null_stats(samples):
    c = np.array([s[0] for s in samples])
    e = np.array([s[1] for s in samples])
    return {
        "clustering_mean": float(np.mean(c)),
        "clustering_sd": float(np.std(c, ddof=1)),
        "efficiency_mean": float(np.mean(e)),
        "efficiency_sd": float(np.std(e, ddof=1)),
        "n_nulls": len(samples),
    }


def main():
    args = json.loads(sys.argv[1])
    w = np.load(args["w"])
    distances = np.load(args["distances"])
    seed = args["seed"]
    out = {}

    # --- The study's model_metrics, verbatim in its calls. ---
    def entropy_of():
        weights_flat = w.flatten()
        kde = gaussian_kde(weights_flat)
        grid = np.linspace(weights_flat.min(), weights_flat.max(), 100)
        probs = kde(grid)
        probs /= probs.sum()
        return float(scipy_entropy(probs, base=2))

    value, seconds = timed(entropy_of)
    out["entropy"] = {"value": value, "seconds": seconds}

    def binarise():
        rnn = np.abs(w)
        thresh = np.quantile(rnn, q=0.9)
        binary = (rnn > thresh).astype(int)
        g = nx.from_numpy_array(binary)
        g.remove_edges_from(nx.selfloop_edges(g))
        return g, float(thresh)

    (g, thresh), seconds = timed(binarise)
    out["binarise"] = {"value": thresh, "n_edges": g.number_of_edges(), "seconds": seconds}

    def cnm():
        communities = list(nx.community.greedy_modularity_communities(g))
        return nx.community.modularity(g, communities)

    value, seconds = timed(cnm)
    out["modularity"] = {"value": value, "seconds": seconds}

    value, seconds = timed(lambda: float(nx.degree_assortativity_coefficient(g)))
    out["assortativity"] = {"value": value, "seconds": seconds}

    def small_world():
        a = nx.to_numpy_array(g)
        nodes = a.shape[0]
        clu = np.mean(bct.clustering_coef_bu(a))
        pth = bct.efficiency_bin(a)
        np.random.seed(seed)
        samples = []
        for _ in range(args["n_nulls"]):
            wperm = np.random.rand(nodes, nodes)
            wperm = np.matrix(wperm)
            wperm = wperm + wperm.T
            wperm = np.divide(wperm, 2)
            aperm = np.where(wperm > 0.7, 1, 0)
            samples.append((np.mean(bct.clustering_coef_bu(aperm)), bct.efficiency_bin(aperm)))
        stats = null_stats(samples)
        smw = (clu / stats["clustering_mean"]) / (stats["efficiency_mean"] / pth)
        return float(smw), stats

    (value, stats), seconds = timed(small_world)
    out["small-world"] = {"value": value, "seconds": seconds, **stats}
    versions = {"networkx": nx.__version__, "numpy": np.__version__, "scipy": scipy.__version__}
    if args.get("study_only"):
        print(json.dumps({"versions": versions, "metrics": out}))
        return

    # --- Better metrics, the libraries' usual calls. ---
    a = nx.to_numpy_array(g, nodelist=range(len(w)))
    n, m = len(a), g.number_of_edges()
    clu = float(np.mean(bct.clustering_coef_bu(a)))
    pth = float(bct.efficiency_bin(a))

    def louvain():
        return max(
            nx.community.modularity(g, nx.community.louvain_communities(g, seed=s))
            for s in range(args["restarts"])
        )

    value, seconds = timed(louvain)
    out["modularity-louvain"] = {"value": value, "seconds": seconds}

    if leidenalg is not None:
        def leiden():
            ig = igraph.Graph(n=n, edges=list(g.edges()))
            best = -1.0
            for s in range(args["restarts"]):
                part = leidenalg.find_partition(
                    ig, leidenalg.ModularityVertexPartition, n_iterations=-1, seed=s
                )
                best = max(best, part.modularity)
            return best

        value, seconds = timed(leiden)
        out["modularity-leiden"] = {"value": value, "seconds": seconds}

    rng = np.random.default_rng(seed)

    def matched(make):
        samples, lengths = [], []
        for _ in range(args["matched_nulls"]):
            r = make()
            samples.append((np.mean(bct.clustering_coef_bu(r)), bct.efficiency_bin(r)))
            d = bct.distance_bin(r)
            finite = np.isfinite(d) & ~np.eye(n, dtype=bool)
            lengths.append(np.mean(d[finite]))
        stats = null_stats(samples)
        stats["path_length_mean"] = float(np.mean(lengths))
        stats["path_length_sd"] = float(np.std(lengths, ddof=1))
        return (clu / stats["clustering_mean"]) / (stats["efficiency_mean"] / pth), stats

    (value, stats), seconds = timed(lambda: matched(lambda: nx.to_numpy_array(
        nx.gnm_random_graph(n, m, seed=int(rng.integers(2**31))), nodelist=range(n))))
    out["small-world-density"] = {"value": float(value), "seconds": seconds, **stats}

    (value, stats), seconds = timed(lambda: matched(lambda: bct.randmio_und(
        a, args["rewiring_iterations"], seed=int(rng.integers(2**31)))[0]))
    out["small-world-degree"] = {"value": float(value), "seconds": seconds, **stats}

    def omega():
        lattice = np.zeros((n, n))
        placed = 0
        for d in range(1, n):
            for i in range(n):
                j = (i + d) % n
                if placed < m and lattice[i, j] == 0:
                    lattice[i, j] = lattice[j, i] = 1
                    placed += 1
        c_latt = np.mean(bct.clustering_coef_bu(lattice))
        lam = bct.charpath(bct.distance_bin(a), include_infinite=False)[0]
        return stats["path_length_mean"] / lam - clu / c_latt, lam

    (value, lam), seconds = timed(omega)
    out["omega"] = {"value": float(value), "seconds": seconds, "path_length": float(lam),
                    "path_length_sd": stats["path_length_sd"], "n_nulls": stats["n_nulls"],
                    "note": "plus the degree-matched nulls, timed above"}

    value, seconds = timed(lambda: float(
        bct.charpath(bct.distance_bin(a), include_infinite=False)[0]))
    out["path-length"] = {"value": value, "seconds": seconds}

    sym = np.maximum(np.abs(w), np.abs(w).T)
    np.fill_diagonal(sym, 0)
    norm = bct.weight_conversion(sym, "normalize")
    value, seconds = timed(lambda: float(np.mean(bct.clustering_coef_wu(norm))))
    out["weighted-clustering"] = {"value": value, "seconds": seconds}

    value, seconds = timed(lambda: float(bct.charpath(
        bct.distance_wei(bct.weight_conversion(norm, "lengths"))[0], include_infinite=False)[0]))
    out["weighted-path-length"] = {"value": value, "seconds": seconds}

    value, seconds = timed(lambda: float(np.sum(np.abs(w) * distances)))
    out["wiring-cost"] = {"value": value, "seconds": seconds}
    value, seconds = timed(lambda: float(np.mean(w == 0)))
    out["sparsity"] = {"value": value, "seconds": seconds}
    value, seconds = timed(lambda: float(np.mean(w > 0)))
    out["fraction-positive"] = {"value": value, "seconds": seconds}
    value, seconds = timed(lambda: float(np.max(np.abs(np.linalg.eigvals(w)))))
    out["spectral-radius"] = {"value": value, "seconds": seconds}

    def communicability():
        aw = np.abs(w)
        s = aw.sum(axis=1)
        d = np.where(s > 0, 1 / np.sqrt(np.where(s > 0, s, 1)), 0)
        c = scipy.linalg.expm(d[:, None] * aw * d[None, :])
        np.fill_diagonal(c, 0)
        return float(c.sum() / (n * (n - 1)))

    value, seconds = timed(communicability)
    out["communicability"] = {"value": value, "seconds": seconds}

    if leidenalg is not None:
        versions["leidenalg"] = leidenalg.__version__
    print(json.dumps({"versions": versions, "metrics": out}))


if __name__ == "__main__":
    main()
