# Expected outputs of CPython's random and NumPy's legacy RandomState, for PythonRandomTest and
# NumpyLegacyRandomTest. Regenerate from the repository root with:
#   python3 core/src/test/resources/random/make_fixtures.py > core/src/test/resources/random/expected.jsonl
# (generated with Python 3.11.7 and NumPy 2.4.6; the algorithms are unchanged since Python 3.2).
import hashlib
import json
import random
import sys

import numpy as np


def digest(xs):
    return hashlib.sha256(",".join(map(str, xs)).encode()).hexdigest()


print("# " + " ".join(["python3"] + sys.argv) + "  (Python %s, NumPy %s)" % (sys.version.split()[0], np.__version__))
for seed in [42, 0, 1, -42, 2**32 - 1, 2**32, 2**40 + 5, 12345678901234567890]:
    random.seed(seed)
    print(json.dumps({"kind": "getrandbits", "seed": str(seed), "k": [1, 7, 31, 32, 33, 63],
                      "values": [str(random.getrandbits(k)) for k in [1, 7, 31, 32, 33, 63]]}))
    random.seed(seed)
    bounds = [1, 2, 3, 5, 1000, 2**31 - 1, 2**31 + 1, 2**32 - 1]
    print(json.dumps({"kind": "randbelow", "seed": str(seed), "n": bounds,
                      "values": [random._inst._randbelow(n) for n in bounds]}))
    for n in [0, 1, 2, 10, 33, 1000, 100003]:
        xs = list(range(n))
        random.seed(seed)
        random.shuffle(xs)
        print(json.dumps({"kind": "shuffle", "seed": str(seed), "n": n, "head": xs[:40], "sha256": digest(xs)}))
for n in [1, 2, 10, 1000, 100003]:
    perm = np.random.RandomState(42).permutation(n).tolist()
    print(json.dumps({"kind": "numpy_permutation", "seed": 42, "n": n, "head": perm[:40], "sha256": digest(perm)}))
