"""Generates the benchmark inputs into Benchmarks/data/ (git-ignored). Seeded, so every machine
benchmarks the same bytes. Usage: python gen_data.py [DATA_DIR]

- scan_10m.parquet: 10,000,000 rows x 5 numeric columns (int64 id, int64 0-999, 3 random doubles),
  SNAPPY, pyarrow defaults otherwise (dictionary on, v1 pages), 10 row groups of 1,000,000 rows.
- delta_2m/: a Delta table of 2,000,000 rows written by deltalake in 4 commits of 500,000 rows:
  int64 id, string user (high cardinality), categorical country (dictionary-encoded in the files),
  categorical plan, double amount, timestamp[us, UTC] ts.
"""
import os
import shutil
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'data')

PARQUET_ROWS = 10_000_000
DELTA_ROWS = 2_000_000
DELTA_COMMITS = 4


def gen_parquet(path):
    rng = np.random.default_rng(0)
    n = PARQUET_ROWS
    t = pa.table({
        'id': np.arange(n, dtype=np.int64),
        'cat': rng.integers(0, 1000, n, dtype=np.int64),
        'x': rng.standard_normal(n),
        'y': rng.standard_normal(n),
        'z': rng.uniform(0, 100, n),
    })
    tmp = path + '.tmp'
    pq.write_table(t, tmp, compression='snappy', row_group_size=n // 10)
    os.replace(tmp, path)


def gen_delta(path):
    from deltalake import write_deltalake
    rng = np.random.default_rng(1)
    countries = pa.array(['FR', 'DE', 'US', 'JP', 'BR', 'IN', 'NG', 'NO', 'CA', 'AU', 'MX', 'ES'])
    plans = pa.array(['free', 'basic', 'pro', 'enterprise'])
    tmp = path + '.tmp'
    shutil.rmtree(tmp, ignore_errors=True)
    per = DELTA_ROWS // DELTA_COMMITS
    for c in range(DELTA_COMMITS):
        ids = np.arange(c * per, (c + 1) * per, dtype=np.int64)
        user = pa.array(['user-%08d' % i for i in rng.integers(0, 10_000_000, per)], pa.string())
        country = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(countries), per, dtype=np.int32)), countries)
        plan = pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(plans), per, dtype=np.int32)), plans)
        amount = rng.gamma(2.0, 30.0, per)
        ts = pa.array(1_700_000_000_000_000 + rng.integers(0, 31_536_000_000_000, per), pa.int64()).cast(
            pa.timestamp('us', tz='UTC'))
        t = pa.table({'id': ids, 'user': user, 'country': country, 'plan': plan, 'amount': amount, 'ts': ts})
        try:
            write_deltalake(tmp, t, mode='append')
        except Exception:
            # delta has no dictionary type: hand plain strings; the Parquet files dictionary-encode them
            t = t.set_column(2, 'country', t.column('country').cast(pa.string()))
            t = t.set_column(3, 'plan', t.column('plan').cast(pa.string()))
            write_deltalake(tmp, t, mode='append')
    shutil.rmtree(path, ignore_errors=True)
    os.replace(tmp, path)


def main():
    os.makedirs(DATA, exist_ok=True)
    jobs = [('scan_10m.parquet', gen_parquet), ('delta_2m', gen_delta)]
    for name, fn in jobs:
        path = os.path.join(DATA, name)
        if os.path.exists(path):
            continue
        t0 = time.perf_counter()
        fn(path)
        print('generated %s in %.1fs' % (path, time.perf_counter() - t0), file=sys.stderr)


if __name__ == '__main__':
    main()
