"""Writes the pyarrow/pandas Parquet fixtures under Tests/Fixtures/pyarrow/ and their expected contents.

Run from anywhere with the project's venv (pyarrow 26.0.1, pandas 3.1.1, numpy):
    /work/main/.venv/bin/python Tests/Fixtures/generate_pyarrow.py
Deterministic (seeded); the expected files come from pyarrow reading the written file back.
"""
import datetime
import decimal
import os
import random
import shutil
import sys

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import render  # noqa: E402

OUT = os.path.join(HERE, 'pyarrow')
PEER = 'pyarrow ' + pa.__version__
ROWS = 48
RG = 20  # rows per row group -> 3 row groups


def nullify(rng, values, p=0.12):
    out = [None if rng.random() < p else v for v in values]
    out[3] = None  # every column has at least one null
    return out


def types_table(seed=1):
    rng = random.Random(seed)
    n = ROWS
    ints = lambda lo, hi: [rng.randint(lo, hi) for _ in range(n)]  # noqa: E731
    cols = {}
    cols['id'] = pa.array(list(range(n)), pa.int64())  # the only column without nulls
    cols['i8'] = pa.array(nullify(rng, ints(-128, 127)), pa.int8())
    cols['i16'] = pa.array(nullify(rng, ints(-32768, 32767)), pa.int16())
    cols['i32'] = pa.array(nullify(rng, ints(-2**31, 2**31 - 1)), pa.int32())
    cols['i64'] = pa.array(nullify(rng, ints(-2**63, 2**63 - 1)), pa.int64())
    cols['u8'] = pa.array(nullify(rng, ints(0, 255)), pa.uint8())
    cols['u32'] = pa.array(nullify(rng, ints(0, 2**32 - 1)), pa.uint32())
    specials = [float('nan'), float('inf'), float('-inf'), -0.0, 0.0, 1e-300, 5e-324, 1.7976931348623157e308]
    dbl = [rng.choice(specials) if rng.random() < 0.15 else rng.uniform(-1e6, 1e6) for _ in range(n)]
    cols['f32'] = pa.array(nullify(rng, [float(np.float32(v)) if abs(v) < 1e30 or not np.isfinite(v) else 1.5
                                         for v in dbl]), pa.float32())
    cols['f64'] = pa.array(nullify(rng, dbl), pa.float64())
    words = ['alpha', 'beta', 'gamma', '', 'δέλτα', 'emoji 🎉', 'quote "q" \\ back', 'line\nbreak', 'tab\tx']
    cols['str_low'] = pa.array(nullify(rng, [rng.choice(words) for _ in range(n)]), pa.string())
    cols['str_high'] = pa.array(nullify(rng, ['s-%d-%x' % (i, rng.getrandbits(40)) for i in range(n)]), pa.string())
    cols['bin'] = pa.array(nullify(rng, [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 12))) for _ in range(n)]),
                           pa.binary())
    cols['date'] = pa.array(nullify(rng, ints(-700_000, 2_900_000)), pa.int32()).cast(pa.date32())
    # timestamps: within years 1700..2200 so Python's datetime can format them
    lo, hi = -8_520_336_000, 7_258_118_400  # seconds
    for unit, mult in (('ms', 1000), ('us', 1_000_000), ('ns', 1_000_000_000)):
        lo_t, hi_t = lo * mult if unit != 'ns' else -9_000_000_000_000_000_000, hi * mult if unit != 'ns' else 9_000_000_000_000_000_000
        vals = ints(lo_t, hi_t)
        vals[5], vals[6] = -1, 1  # around the epoch: floor division matters for ns
        for tz, label in (('UTC', 'utc'), (None, 'naive')):
            cols['ts_%s_%s' % (unit, label)] = pa.array(nullify(rng, vals), pa.int64()).cast(pa.timestamp(unit, tz=tz))
    d52 = [decimal.Decimal(rng.randint(-99999, 99999)).scaleb(-2) for _ in range(n)]
    d52[7] = decimal.Decimal('-12.30')
    cols['dec5_2'] = pa.array(nullify(rng, d52), pa.decimal128(5, 2))
    d256 = [decimal.Decimal(rng.randint(-10**25 + 1, 10**25 - 1)).scaleb(-6) for _ in range(n)]
    d256[8] = decimal.Decimal('0.000001')
    d256[9] = decimal.Decimal('-0.100000')
    cols['dec25_6'] = pa.array(nullify(rng, d256), pa.decimal128(25, 6))
    cols['flag'] = pa.array(nullify(rng, [rng.random() < 0.5 for _ in range(n)]), pa.bool_())
    return pa.table(cols)


def write_and_expect(name, table, **kw):
    path = os.path.join(OUT, name + '.parquet')
    pq.write_table(table, path, **kw)
    back = pq.read_table(path)
    render.write_expected(os.path.join(OUT, name), render.render_arrow_table(back),
                          render.arrow_schema_json(back.schema, PEER))
    md = pq.read_metadata(path)
    encs = sorted({e for rg in range(md.num_row_groups) for c in range(md.num_columns)
                   for e in md.row_group(rg).column(c).encodings})
    print('%-28s rows=%d rg=%d codec=%s encodings=%s bytes=%d' % (
        name, md.num_rows, md.num_row_groups, md.row_group(0).column(0).compression, encs, os.path.getsize(path)))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    t = types_table()
    # every codec, dictionary on (pyarrow default), v1 data pages
    for codec in ('snappy', 'gzip', 'zstd', 'lz4', 'brotli', 'none'):
        write_and_expect('types_%s' % codec, t, compression=codec, row_group_size=RG)
    # dictionary off
    write_and_expect('types_nodict_zstd', t, compression='zstd', use_dictionary=False, row_group_size=RG)
    # data page v2, with and without dictionary; small pages so chunks have several pages
    write_and_expect('types_v2_snappy', t, compression='snappy', data_page_version='2.0', row_group_size=RG,
                     data_page_size=256, write_batch_size=16)
    write_and_expect('types_v2_nodict_gzip', t, compression='gzip', data_page_version='2.0', use_dictionary=False,
                     row_group_size=RG, data_page_size=256, write_batch_size=16)
    # INT96 timestamps (written as INT96, read back by pyarrow as timestamp[ns])
    ts_cols = [c for c in t.column_names if c.startswith('ts_') or c == 'id']
    write_and_expect('int96', t.select(ts_cols), use_deprecated_int96_timestamps=True, row_group_size=RG)
    # BYTE_STREAM_SPLIT and DELTA_* encodings (dictionary must be off for these columns)
    enc = {
        'i32': 'DELTA_BINARY_PACKED', 'i64': 'DELTA_BINARY_PACKED', 'id': 'DELTA_BINARY_PACKED',
        'date': 'DELTA_BINARY_PACKED', 'ts_us_utc': 'DELTA_BINARY_PACKED',
        'f32': 'BYTE_STREAM_SPLIT', 'f64': 'BYTE_STREAM_SPLIT', 'i16': 'BYTE_STREAM_SPLIT',
        'ts_ns_naive': 'BYTE_STREAM_SPLIT', 'dec25_6': 'BYTE_STREAM_SPLIT',
        'str_low': 'DELTA_LENGTH_BYTE_ARRAY', 'str_high': 'DELTA_BYTE_ARRAY', 'bin': 'DELTA_BYTE_ARRAY',
        'flag': 'RLE',
    }
    sub = t.select(list(enc))
    write_and_expect('encodings_v1', sub, compression='snappy', use_dictionary=False, column_encoding=enc,
                     row_group_size=RG, data_page_size=256, write_batch_size=16)
    write_and_expect('encodings_v2', sub, compression='zstd', use_dictionary=False, column_encoding=enc,
                     data_page_version='2.0', row_group_size=RG)
    # dictionary that overflows its page limit -> PLAIN fallback inside one chunk
    write_and_expect('dict_fallback', t.select(['id', 'str_high', 'i64', 'f64']), compression='snappy',
                     dictionary_pagesize_limit=200, row_group_size=ROWS, data_page_size=256, write_batch_size=16)
    # longer runs: RLE and bit-packed runs in dictionary indices and levels, many pages, wide dictionary
    rng = random.Random(6)
    n = 800
    r_vals, n_vals, b_vals = [], [], []
    while len(r_vals) < n:
        k = rng.choice([1, 2, 3, 7, 8, 9, 15, 16, 17, 40, 100])
        r_vals += [rng.randint(-500, 500)] * k
        n_vals += ([None] * k) if rng.random() < 0.4 else [rng.randint(-30000, 30000) for _ in range(k)]
        b_vals += ([rng.random() < 0.5] * k) if rng.random() < 0.5 else [rng.random() < 0.5 for _ in range(k)]
    runs = pa.table({
        'id': pa.array(range(n), pa.int64()),
        'r': pa.array(r_vals[:n], pa.int32()),
        'n': pa.array(n_vals[:n], pa.int16()),
        's': pa.array(['v%d' % rng.randint(0, 599) if rng.random() < 0.9 else None for _ in range(n)], pa.string()),
        'b': pa.array([None if i % 97 == 5 else v for i, v in enumerate(b_vals[:n])], pa.bool_()),
    })
    write_and_expect('runs_v1', runs, compression='snappy', row_group_size=300, data_page_size=512,
                     write_batch_size=64)
    write_and_expect('runs_v2', runs, compression='zstd', data_page_version='2.0', row_group_size=300,
                     data_page_size=512, write_batch_size=64)

    # less common types: float16, uint16/uint64, large/fixed-size binary, dictionary, integer-stored decimals
    rng = random.Random(7)
    n = 30
    extra = pa.table({
        'id': pa.array(range(n), pa.int64()),
        'f16': pa.array([None if i % 9 == 3 else np.float16(v) for i, v in enumerate(
            [rng.choice([float('nan'), float('inf'), -0.0, 65504.0]) if i % 7 == 0 else rng.uniform(-1000, 1000)
             for i in range(n)])], pa.float16()),
        'u16': pa.array([None if i % 8 == 3 else rng.randint(0, 65535) for i in range(n)], pa.uint16()),
        'u64': pa.array([None if i % 8 == 4 else rng.randint(0, 2**63 - 1) for i in range(n)], pa.uint64()),
        'lstr': pa.array([None if i % 6 == 3 else 'ls-%d' % rng.randint(0, 10**9) for i in range(n)], pa.large_string()),
        'lbin': pa.array([None if i % 6 == 4 else bytes(rng.getrandbits(8) for _ in range(i % 5)) for i in range(n)],
                         pa.large_binary()),
        'fsb': pa.array([None if i % 5 == 3 else bytes(rng.getrandbits(8) for _ in range(4)) for i in range(n)],
                        pa.binary(4)),
        'dict': pa.array([None if i % 7 == 3 else rng.choice(['x', 'y', 'zz']) for i in range(n)],
                         pa.string()).dictionary_encode(),
        'dec9_0': pa.array([None if i % 7 == 4 else decimal.Decimal(rng.randint(-10**9 + 1, 10**9 - 1)) for i in range(n)],
                           pa.decimal128(9, 0)),
        'dec18_4': pa.array([None if i % 7 == 5 else decimal.Decimal(rng.randint(-10**18 + 1, 10**18 - 1)).scaleb(-4)
                             for i in range(n)], pa.decimal128(18, 4)),
        'dec38_10': pa.array([None if i % 7 == 6 else decimal.Decimal(rng.randint(-10**38 + 1, 10**38 - 1)).scaleb(-10, decimal.Context(prec=60))
                              for i in range(n)], pa.decimal128(38, 10)),
    })
    write_and_expect('extra_types', extra, compression='snappy', row_group_size=16, store_decimal_as_integer=True)

    # nested columns (read by us as JSON text)
    rng = random.Random(3)
    n = 40
    lists = [None if i % 9 == 4 else [None if rng.random() < 0.1 else rng.randint(-50, 50)
                                      for _ in range(rng.randint(0, 4))] for i in range(n)]
    structs = [None if i % 7 == 2 else {'x': None if i % 5 == 0 else i * 1.5, 'y': 'y%d' % i} for i in range(n)]
    maps = [None if i % 8 == 5 else [('k%d' % j, None if (i + j) % 6 == 0 else i + j) for j in range(i % 3)]
            for i in range(n)]
    lstruct = [None if i % 10 == 6 else [{'a': i + j, 'b': None if j == 1 else 'b%d' % j} for j in range(i % 3)]
               for i in range(n)]
    nested = pa.table({
        'id': pa.array(range(n), pa.int32()),
        'ints': pa.array(lists, pa.list_(pa.int64())),
        'point': pa.array(structs, pa.struct([('x', pa.float64()), ('y', pa.string())])),
        'attrs': pa.array(maps, pa.map_(pa.string(), pa.int32())),
        'items': pa.array(lstruct, pa.list_(pa.struct([('a', pa.int32()), ('b', pa.string())]))),
    })
    write_and_expect('nested', nested, compression='snappy', row_group_size=16)
    # a Hive-partitioned folder (ParquetDataset): NULL partition, special characters, ignored _/. files
    rng = random.Random(5)
    n = 30
    regions = [None, 'eu west', 'a:b', '50%', 'k=v', 'é']
    ds_table = pa.table({
        'id': pa.array(range(n), pa.int64()),
        'region': pa.array([regions[i % len(regions)] for i in range(n)], pa.string()),
        'tier': pa.array(['t%d' % (i % 2) for i in range(n)], pa.string()),
        'amount': pa.array([None if i % 7 == 3 else round(rng.uniform(0, 1000), 2) for i in range(n)], pa.float64()),
    })
    root = os.path.join(OUT, 'dataset_hive')
    pq.write_to_dataset(ds_table, root, partition_cols=['region', 'tier'],
                        basename_template='part-{i}.parquet', existing_data_behavior='delete_matching')
    pq.write_metadata(ds_table.schema, os.path.join(root, '_common_metadata'))
    with open(os.path.join(root, '.hidden.parquet'), 'wb') as f:
        f.write(b'not parquet')
    back = pq.read_table(root)
    rows = sorted(render.render_arrow_table(back), key=lambda r: r['id'])
    render.write_expected(os.path.join(OUT, 'dataset_hive'), rows,
                          render.arrow_schema_json(back.schema, PEER))
    print('dataset_hive', sorted(os.listdir(root)))

    # pandas-written file with a (non-range) index and a categorical column
    import pandas as pd
    rng = random.Random(4)
    df = pd.DataFrame({
        'city': pd.Categorical([rng.choice(['Paris', 'Oslo', 'Lima', None]) for _ in range(30)]),
        'amount': [None if i % 6 == 1 else rng.uniform(0, 100) for i in range(30)],
        'count': pd.array([None if i % 5 == 2 else rng.randint(0, 9) for i in range(30)], dtype='Int64'),
        'when': pd.to_datetime([1_700_000_000_000_000_000 + i * 3_600_123_456_789 for i in range(30)]),
    }, index=pd.Index(['r%02d' % (29 - i) for i in range(30)]))
    path = os.path.join(OUT, 'pandas_index.parquet')
    df.to_parquet(path, engine='pyarrow')
    back = pq.read_table(path)
    render.write_expected(os.path.join(OUT, 'pandas_index'), render.render_arrow_table(back),
                          render.arrow_schema_json(back.schema, PEER + ' + pandas ' + pd.__version__))
    print('pandas_index', back.column_names, os.path.getsize(path))


if __name__ == '__main__':
    main()
