"""Peer for `mltrack bench-train als`: trains implicit's CPU ALS (conjugate gradient) on the same
Parquet file with the same hyper-parameters and prints the same JSON line.
Usage: python implicit_als.py PATH [--factors 64] [--iterations 15] [--regularization 0.05]
       [--alpha 10] [--threads 2] [--runs 3] [--seed 1]

The training pairs (heldout = false) become a users x items CSR of confidences 1 + alpha*count
(implicit >= 0.5 reads a value as the confidence itself and its own `alpha` only multiplies the
matrix, so it gets alpha = 1.0 and the matrix already scaled: the same model as mltrack's). Only
`fit` is timed (it includes implicit's own transpose). BLAS is limited to one thread with
threadpoolctl, as implicit recommends, while its own loops use --threads. precision@10 and
NDCG@10 (mltrack's definitions: hits/10 and binary-relevance NDCG with ideal DCG over
min(10, |held-out|), averaged over users with held-out items, training items excluded) are
computed on the model of the last run.
"""
import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')

import numpy as np  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import scipy.sparse as sp  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('path')
    ap.add_argument('--factors', type=int, default=64)
    ap.add_argument('--iterations', type=int, default=15)
    ap.add_argument('--regularization', type=float, default=0.05)
    ap.add_argument('--alpha', type=float, default=10.0)
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--seed', type=int, default=1)
    a = ap.parse_args()

    import implicit
    from implicit.cpu.als import AlternatingLeastSquares

    t = pq.read_table(a.path, columns=['user_id', 'item_id', 'count', 'heldout'])
    user = t.column('user_id').to_numpy()
    item = t.column('item_id').to_numpy()
    count = t.column('count').to_numpy().astype(np.float32)
    held = t.column('heldout').to_numpy(zero_copy_only=False)
    # Dense indexes in ascending id order (mltrack's IdMap order for integer ids).
    uids, uidx = np.unique(user, return_inverse=True)
    iids, iidx = np.unique(item, return_inverse=True)
    shape = (uids.size, iids.size)
    tr = ~held
    train = sp.csr_matrix((count[tr], (uidx[tr], iidx[tr])), shape=shape, dtype=np.float32)
    train.sum_duplicates()
    conf = train.copy()
    conf.data = (1 + a.alpha * conf.data).astype(np.float32)
    test = sp.csr_matrix((np.ones(held.sum(), np.float32), (uidx[held], iidx[held])), shape=shape)

    times = []
    model = None
    with threadpool_limits(limits=1, user_api='blas'):
        for _ in range(a.runs):
            model = AlternatingLeastSquares(factors=a.factors, regularization=a.regularization, alpha=1.0,
                                            iterations=a.iterations, use_cg=True, calculate_training_loss=False,
                                            num_threads=a.threads, random_state=a.seed)
            start = time.perf_counter()
            model.fit(conf, show_progress=False)
            times.append(time.perf_counter() - start)

        users = np.flatnonzero(np.diff(test.indptr) > 0)
        ids, _ = model.recommend(users, train[users], N=10, filter_already_liked_items=True)
    discount = 1 / np.log2(np.arange(2, 12))
    precision = ndcg = 0.0
    for row, u in enumerate(users):
        relevant = set(test.indices[test.indptr[u]:test.indptr[u + 1]].tolist())
        rel = np.array([1.0 if int(i) in relevant else 0.0 for i in ids[row][:10]])
        precision += rel.sum() / 10
        ndcg += (rel * discount[:rel.size]).sum() / discount[:min(10, len(relevant))].sum()
    times.sort()
    print(json.dumps({'rows': int(train.nnz), 'best_s': times[0], 'median_s': statistics.median(times), 'runs': a.runs,
                      'precision_at_10': precision / users.size, 'ndcg_at_10': ndcg / users.size,
                      'users_evaluated': int(users.size), 'peer': 'implicit %s' % implicit.__version__}))


if __name__ == '__main__':
    main()
    sys.stdout.flush()
    os._exit(0)
