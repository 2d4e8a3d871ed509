"""Peer of SimilarBench: exact k-nearest by cosine over N x 384 vectors with NumPy float32
(BLAS sgemv, then argpartition), one query at a time. Usage: python3 numpy_knn.py [N] [Q] [W] [K]"""
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
queries = int(sys.argv[2]) if len(sys.argv) > 2 else 30
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 5
k = int(sys.argv[4]) if len(sys.argv) > 4 else 10
rng = np.random.default_rng(42)
m = rng.standard_normal((n, 384), dtype=np.float32)
m /= np.linalg.norm(m, axis=1, keepdims=True)
print(f"numpy {np.__version__}: {n:,} vectors x 384 float32, k={k}")
ms = []
for q in range(warmup + queries):
    row = int(rng.integers(n))
    t = time.perf_counter()
    s = m @ m[row]
    s[row] = -np.inf
    top = np.argpartition(-s, k)[:k]
    top = top[np.argsort(-s[top])]
    took = (time.perf_counter() - t) * 1000
    if q >= warmup:
        ms.append(took)
ms.sort()
print(f"per query: median {ms[len(ms) // 2]:.1f} ms, p95 {ms[int(np.ceil(len(ms) * 0.95)) - 1]:.1f} ms, min {ms[0]:.1f} ms ({queries} queries)")
