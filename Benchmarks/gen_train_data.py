"""Generates the training-benchmark inputs into Benchmarks/data/ (git-ignored). Seeded, so every
machine benchmarks the same bytes. Usage: python gen_train_data.py [DATA_DIR]

- logistic_1m.parquet: 1,000,000 rows x 40 float64 features f0..f39 and an int64 label y in {0, 1}
  drawn from a logistic model: features standard normal, f20..f39 each correlated (rho 0.6) with the
  feature 20 columns before it; true coefficients N(0, 0.25^2), intercept -1 (about 30% positives).
  SNAPPY, row groups of 131,072 rows.
"""
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'data')

ROWS = 1_000_000
FEATURES = 40


def gen_logistic(path):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((ROWS, FEATURES))
    half = FEATURES // 2
    x[:, half:] = 0.6 * x[:, :half] + 0.8 * x[:, half:]
    beta = rng.normal(0, 0.25, FEATURES)
    z = x @ beta - 1.0
    y = (rng.random(ROWS) < 1 / (1 + np.exp(-z))).astype(np.int64)
    cols = {'f%d' % j: x[:, j].copy() for j in range(FEATURES)}
    cols['y'] = y
    tmp = path + '.tmp'
    pq.write_table(pa.table(cols), tmp, compression='snappy', row_group_size=131_072)
    os.replace(tmp, path)


def main():
    os.makedirs(DATA, exist_ok=True)
    for name, fn in [('logistic_1m.parquet', gen_logistic)]:
        path = os.path.join(DATA, name)
        if os.path.exists(path):
            continue
        t0 = time.perf_counter()
        fn(path)
        print('generated %s in %.1fs' % (path, time.perf_counter() - t0), file=sys.stderr)


if __name__ == '__main__':
    main()
