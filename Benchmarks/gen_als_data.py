"""Generates the ALS benchmark input into Benchmarks/data/ (git-ignored). Seeded, so every machine
benchmarks the same bytes. Usage: python gen_als_data.py [DATA_DIR]

als_50k.parquet: implicit feedback, 50,000 users x 10,000 items, exactly 2,000,000 training
(user, item) pairs plus a per-user held-out set, one row per pair, in random order:
  user_id int64, item_id int64, count int32 (1 + geometric), heldout bool.
Structure: 50 item genres; item popularity Zipf-like globally and within its genre; each user
prefers two genres (70/30) and draws 75% of its items from them, the rest by global popularity;
interactions per user log-normal (median ~40, at least 5). About 10% of each user's distinct items
(at least one for users with 5 or more) are held out for precision@10.
"""
import os
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'data')

USERS, ITEMS, TRAIN_NNZ, GENRES = 50_000, 10_000, 2_000_000, 50
NAME = 'als_50k.parquet'


def generate(path):
    rng = np.random.default_rng(20261121)
    genre = rng.integers(0, GENRES, ITEMS)
    pop = 1.0 / np.arange(1, ITEMS + 1) ** 0.9
    pop = pop[rng.permutation(ITEMS)]          # popularity rank independent of the item id
    global_p = pop / pop.sum()
    members = [np.flatnonzero(genre == g) for g in range(GENRES)]
    within = [pop[m] / pop[m].sum() for m in members]

    per_user = np.maximum(5, rng.lognormal(np.log(40), 0.6, USERS)).astype(np.int64)
    draws = (per_user * 1.5).astype(np.int64)   # oversample: duplicates collapse below
    users = np.repeat(np.arange(USERS, dtype=np.int64), draws)
    n = users.size
    g1, g2 = rng.integers(0, GENRES, USERS), rng.integers(0, GENRES, USERS)
    from_genre = rng.random(n) < 0.75
    user_genre = np.where(rng.random(n) < 0.7, g1[users], g2[users])
    items = rng.choice(ITEMS, size=n, p=global_p)
    for g in range(GENRES):
        sel = np.flatnonzero(from_genre & (user_genre == g))
        items[sel] = rng.choice(members[g], size=sel.size, p=within[g])
    key = np.unique(users * ITEMS + items)        # distinct (user, item), sorted by user
    users, items = key // ITEMS, key % ITEMS

    # Hold out ~10% of each user's distinct items (at least one when the user has >= 5).
    counts = np.bincount(users, minlength=USERS)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank_in_user = np.empty(users.size, dtype=np.int64)
    order = np.lexsort((rng.random(users.size), users))
    rank_in_user[order] = np.arange(users.size) - np.repeat(starts, counts)
    hold = np.where(counts >= 5, np.maximum(1, np.rint(counts * 0.1)), 0).astype(np.int64)
    heldout = rank_in_user < hold[users]

    # Trim the training pairs to exactly TRAIN_NNZ (random ones, never a user's last training pair).
    train_idx = np.flatnonzero(~heldout)
    if train_idx.size < TRAIN_NNZ:
        raise SystemExit('generator produced only %d training pairs' % train_idx.size)
    keep = np.ones(users.size, dtype=bool)
    first_train = train_idx[np.unique(users[train_idx], return_index=True)[1]]
    droppable = np.setdiff1d(train_idx, first_train)
    keep[rng.choice(droppable, size=train_idx.size - TRAIN_NNZ, replace=False)] = False
    users, items, heldout = users[keep], items[keep], heldout[keep]
    assert (~heldout).sum() == TRAIN_NNZ

    count = (rng.geometric(0.45, users.size)).astype(np.int32)
    perm = rng.permutation(users.size)
    t = pa.table({'user_id': users[perm], 'item_id': items[perm], 'count': count[perm], 'heldout': heldout[perm]})
    tmp = path + '.tmp'
    pq.write_table(t, tmp, compression='snappy', row_group_size=1_000_000)
    os.replace(tmp, path)


def main():
    os.makedirs(DATA, exist_ok=True)
    path = os.path.join(DATA, NAME)
    if os.path.exists(path):
        return
    t0 = time.perf_counter()
    generate(path)
    print('generated %s in %.1fs' % (path, time.perf_counter() - t0), file=sys.stderr)


if __name__ == '__main__':
    main()
