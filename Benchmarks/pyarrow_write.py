"""Times the peers' single-threaded write of a benchmark input held in memory; prints one JSON object.

    python pyarrow_write.py parquet PATH --out DIR [--runs N] [--codec snappy|zstd|none]
        # pq.write_table(table, fresh_path, compression=codec)
    python pyarrow_write.py delta PATH --out DIR [--runs N] [--codec snappy|zstd|none]
        # deltalake.write_deltalake(fresh_path, table, mode='overwrite')

The input (a Parquet file or a Delta table, as for pyarrow_scan.py) is read once into an Arrow table.
Each timed write goes to a fresh path under DIR and includes an os.fsync of every written file and of
the folders holding them: mltrack's writers fsync on close and the peers do not, so this keeps the
comparison about equal work. The previous output is deleted between runs, outside the timed region.
Runs with pa.set_cpu_count(1) and one IO thread. Output: {"peer", "rows", "best_s", "median_s",
"runs"}; the first run is a warm-up and is not counted.
"""
import argparse
import json
import os
import shutil
import statistics
import time

import pyarrow as pa
import pyarrow.parquet as pq


def fsync_tree(path):
    """fsyncs a file, or every file under a folder and the folders themselves."""
    if os.path.isfile(path):
        paths, dirs = [path], [os.path.dirname(os.path.abspath(path))]
    else:
        paths, dirs = [], [os.path.dirname(os.path.abspath(path))]
        for root, _, files in os.walk(path):
            dirs.append(root)
            paths.extend(os.path.join(root, f) for f in files)
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    for d in dirs:
        fd = os.open(d, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('kind', choices=['parquet', 'delta'])
    ap.add_argument('path')
    ap.add_argument('--out', required=True)
    ap.add_argument('--runs', type=int, default=7)
    ap.add_argument('--codec', choices=['snappy', 'zstd', 'none'], default='snappy')
    a = ap.parse_args()
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    os.makedirs(a.out, exist_ok=True)
    codec = a.codec

    if a.kind == 'parquet':
        peer = 'pyarrow %s' % pa.__version__
        table = pq.read_table(a.path, use_threads=False)

        def write(dest):
            pq.write_table(table, dest, compression=codec)
    else:
        import deltalake
        from deltalake import DeltaTable, WriterProperties
        peer = 'deltalake %s + pyarrow %s' % (deltalake.__version__, pa.__version__)
        table = DeltaTable(a.path).to_pyarrow_dataset().to_table(use_threads=False)
        props = WriterProperties(compression=codec.upper() if codec != 'none' else 'UNCOMPRESSED')

        def write(dest):
            deltalake.write_deltalake(dest, table, mode='overwrite', writer_properties=props)

    times, previous = [], None
    try:
        for i in range(max(1, a.runs) + 1):  # run 0 is the warm-up
            if previous:
                remove(previous)
            dest = os.path.join(a.out, 'peer-bench-write-%d-%d%s' % (
                os.getpid(), i, '.parquet' if a.kind == 'parquet' else ''))
            remove(dest)
            previous = dest
            t0 = time.perf_counter()
            write(dest)
            fsync_tree(dest)
            dt = time.perf_counter() - t0
            if i > 0:
                times.append(dt)
    finally:
        if previous:
            remove(previous)
    print(json.dumps({'peer': peer, 'rows': table.num_rows, 'best_s': min(times),
                      'median_s': statistics.median(times), 'runs': len(times)}))


if __name__ == '__main__':
    main()
