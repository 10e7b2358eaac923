"""Times the peers' full single-threaded read of a benchmark input; prints one JSON object.

    python pyarrow_scan.py parquet PATH [--runs N]   # pq.read_table(path, use_threads=False)
    python pyarrow_scan.py delta PATH [--runs N]     # deltalake: open the table + read it to Arrow

Both run with pa.set_cpu_count(1) and one IO thread. Output: {"peer", "rows", "best_s", "median_s",
"runs"}; the first (cold-cache) run is a warm-up and is not counted.
"""
import argparse
import json
import statistics
import time

import pyarrow as pa
import pyarrow.parquet as pq


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['parquet', 'delta'])
    ap.add_argument('path')
    ap.add_argument('--runs', type=int, default=7)
    a = ap.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)

    if a.kind == 'parquet':
        peer = 'pyarrow %s' % pa.__version__

        def once():
            return pq.read_table(a.path, use_threads=False).num_rows
    else:
        import deltalake
        from deltalake import DeltaTable
        peer = 'deltalake %s + pyarrow %s' % (deltalake.__version__, pa.__version__)

        def once():
            return DeltaTable(a.path).to_pyarrow_dataset().to_table(use_threads=False).num_rows

    rows = once()  # warm-up
    times = []
    for _ in range(max(1, a.runs)):
        t0 = time.perf_counter()
        n = once()
        times.append(time.perf_counter() - t0)
        assert n == rows
    print(json.dumps({'peer': peer, 'rows': rows, 'best_s': min(times),
                      'median_s': statistics.median(times), 'runs': len(times)}))


if __name__ == '__main__':
    main()
