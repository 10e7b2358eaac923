"""Times scikit-learn's LogisticRegression(C, solver='lbfgs') on a Parquet training table; prints
one JSON object, the same fields as `mltrack bench-train logistic`.

    python sklearn_logistic.py PATH [--label y] [--c 1.0] [--runs N] [--threads 2]

The table is loaded once (pyarrow -> pandas -> a C-contiguous float64 matrix, the layout mltrack
uses; not timed). Each timed run fits a fresh estimator with sklearn's defaults (tol=1e-4,
max_iter=100) under threadpoolctl's limit of --threads for BLAS and OpenMP, after one warm-up fit.
AUC: roc_auc_score of the fitted model's probabilities on the training rows.
Output: {"peer", "rows", "features", "best_s", "median_s", "runs", "auc", "iterations", "loss"}.
"""
import argparse
import json
import statistics
import time
import warnings

import numpy as np
import pyarrow.parquet as pq
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score
from threadpoolctl import threadpool_limits


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('path')
    ap.add_argument('--label', default='y')
    ap.add_argument('--c', type=float, default=1.0)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--threads', type=int, default=2)
    a = ap.parse_args()

    df = pq.read_table(a.path).to_pandas()
    y = df.pop(a.label).to_numpy(dtype=np.float64)
    x = np.ascontiguousarray(df.to_numpy(dtype=np.float64))
    del df

    def fit():
        m = LogisticRegression(C=a.c, solver='lbfgs')
        with warnings.catch_warnings():
            warnings.simplefilter('ignore', ConvergenceWarning)
            m.fit(x, y)
        return m

    with threadpool_limits(limits=a.threads):
        fit()  # warm-up
        times = []
        for _ in range(max(1, a.runs)):
            t0 = time.perf_counter()
            m = fit()
            times.append(time.perf_counter() - t0)
        prob = m.predict_proba(x)[:, 1]
    w = m.coef_[0]
    # The normalized objective both tools minimize: mean log loss + ||w||^2 / (2 C n).
    loss = log_loss(y, prob) + float(w @ w) / (2 * a.c * len(y))
    print(json.dumps({'peer': 'scikit-learn %s lbfgs' % sklearn.__version__, 'rows': int(x.shape[0]),
                      'features': int(x.shape[1]), 'best_s': min(times), 'median_s': statistics.median(times),
                      'runs': len(times), 'auc': float(roc_auc_score(y, prob)), 'iterations': int(m.n_iter_[0]),
                      'loss': loss}))


if __name__ == '__main__':
    main()
