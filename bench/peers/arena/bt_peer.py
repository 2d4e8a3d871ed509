"""Peer for the leaderboard benchmark: Bradley-Terry with ties as half wins, fitted with SciPy's
L-BFGS from zeros (the method FastChat's rating_systems.py uses), plus a multinomial bootstrap.
Written for chatcorpus' benchmark; reads battles as CSV lines "a,b,outcome" (outcome 1, 0.5, 0).
Prints JSON: {"seconds_fit", "seconds_bootstrap" (best of three), "ratings": {model: rating}}."""
import json, sys, time
import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

def load(path):
    a, b, o = [], [], []
    names = {}
    with open(path) as f:
        for line in f:
            x, y, z = line.rstrip("\n").split(",")
            a.append(names.setdefault(x, len(names))); b.append(names.setdefault(y, len(names))); o.append(float(z))
    return np.array(a), np.array(b), np.array(o), list(names)

def unique_outcomes(a, b, o):
    rows = np.stack([a, b, (o * 2).astype(int)], axis=1)
    uniq, counts = np.unique(rows, axis=0, return_counts=True)
    return uniq[:, :2], uniq[:, 2] / 2.0, counts.astype(float)

def nll(r, pairs, outcome, w, alpha):
    z = alpha * (r[pairs[:, 0]] - r[pairs[:, 1]])
    p = expit(z)
    loss = -np.sum(w * (outcome * np.log(p) + (1 - outcome) * np.log(1 - p)))
    g_pair = -alpha * (outcome - p) * w
    grad = np.zeros_like(r)
    np.add.at(grad, pairs[:, 0], g_pair)
    np.add.at(grad, pairs[:, 1], -g_pair)
    return loss, grad

def fit(pairs, outcome, w, n):
    res = minimize(nll, np.zeros(n), args=(pairs, outcome, w, np.log(10.0)), jac=True, method="L-BFGS-B",
                   options={"maxiter": 100, "gtol": 1e-6})
    return res.x * 400 + 1000

a, b, o, models = load(sys.argv[1])
rounds = int(sys.argv[2])
t0 = time.time()
pairs, outcome, w = unique_outcomes(a, b, o)
full = fit(pairs, outcome, w, len(models))
t1 = time.time()
boot_seconds = []
for _ in range(3):  # best of three, as the Java side times its bootstrap: the cores are shared
    start = time.time()
    rng = np.random.default_rng(0)
    samples = rng.multinomial(len(a), w / w.sum(), size=rounds) / len(a)
    boot = np.array([fit(pairs, outcome, s, len(models)) for s in samples])
    boot_seconds.append(time.time() - start)
print(json.dumps({"seconds_fit": t1 - t0, "seconds_bootstrap": min(boot_seconds),
                  "ratings": {m: float(full[i]) for i, m in enumerate(models)}}))
