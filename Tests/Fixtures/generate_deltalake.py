"""Writes the delta-rs (deltalake) fixture tables under Tests/Fixtures/delta/ and their expected contents.

Run with the project's venv (deltalake 1.6.6, pyarrow 26.0.1):
    /work/main/.venv/bin/python Tests/Fixtures/generate_deltalake.py [--expected-only | --add-new]
(`--expected-only` re-renders the expected files from the committed tables without rewriting them;
`--add-new` also creates the tables of `extra_tables` that are missing.)
Data is seeded; file names (UUIDs) and commit timestamps differ run to run, so the tests use versions,
never file names or modification times. Expected rows are delta-rs' own reading of each version (QueryBuilder, see peer_read),
sorted by the key column `id`: `<table>.v<N>.expected.jsonl` and `<table>.expected.jsonl` (latest).
"""
import datetime
import decimal
import json
import os
import random
import shutil
import sys

import deltalake
import pyarrow as pa
from deltalake import DeltaTable, write_deltalake

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import render  # noqa: E402

OUT = os.path.join(HERE, 'delta')
PEER = 'deltalake ' + deltalake.__version__


def peer_read(path, version):
    """delta-rs' own reading (its DataFusion engine via QueryBuilder), as a pyarrow Table.

    `DeltaTable.to_pyarrow_table()` is not used: it goes through a pyarrow dataset over the physical
    files and returns all-null columns for column-mapped tables (deltalake 1.6.6); for every other
    table here both readings agree (checked below).
    """
    from deltalake import QueryBuilder
    dt = DeltaTable(path, version=version)
    reader = QueryBuilder().register('t', dt).execute('SELECT * FROM t')
    table = pa.table(pa.RecordBatchReader.from_stream(reader))
    # normalise view types to plain ones (same values)
    fields = []
    for f in table.schema:
        t = f.type
        if pa.types.is_string_view(t) or pa.types.is_large_string(t):
            t = pa.string()
        elif pa.types.is_binary_view(t) or pa.types.is_large_binary(t):
            t = pa.binary()
        fields.append(pa.field(f.name, t, f.nullable))
    table = table.cast(pa.schema(fields))
    if not dt.metadata().configuration.get('delta.columnMapping.mode'):
        other = render.render_arrow_table(dt.to_pyarrow_table().sort_by('id'))
        mine = render.render_arrow_table(table.sort_by('id'))
        if other != mine:
            print('WARNING: deltalake readings disagree on %s v%d' % (path, version))
    return table, dt


def expect(name, versions):
    """Writes expected files for each version in `versions` and for the latest one."""
    path = os.path.join(OUT, name)
    latest = DeltaTable(path).version()
    info = {'peer': PEER, 'latest_version': latest, 'versions': {}}
    history = []
    for h in sorted(DeltaTable(path).history(), key=lambda h: h['version']):
        params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (h.get('operationParameters') or {}).items()}
        history.append({'version': h['version'], 'timestamp': h['timestamp'], 'operation': h.get('operation'),
                        'operationParameters': params, 'engineInfo': h.get('engineInfo')})
    with open(os.path.join(OUT, name + '.history.json'), 'w') as f:
        json.dump(history, f, indent=1, sort_keys=True)
        f.write('\n')
    for v in sorted(set(versions + [latest])):
        table, dt = peer_read(path, v)
        table = table.sort_by('id')
        rows = render.render_arrow_table(table)
        suffix = '' if v == latest else '.v%d' % v
        schema = render.arrow_schema_json(table.schema, PEER + ' (QueryBuilder)')
        schema['version'] = v
        schema['partition_columns'] = dt.metadata().partition_columns
        render.write_expected(os.path.join(OUT, name + suffix), rows, schema)
        if v == latest:  # also under its version number, so tests can address every version alike
            render.write_expected(os.path.join(OUT, name + '.v%d' % v), rows)
        info['versions'][str(v)] = len(rows)
        print('%-14s v%d rows=%d' % (name, v, len(rows)))
    return info


EXPECTED_VERSIONS = {'history': [0, 1, 2, 3], 'partitioned': [0], 'checkpointed': [2, 4], 'ntz': [0], 'colmap': [0],
                     'evolved': [0, 1], 'optimized': [2, 3]}


def write_manifest(manifest):
    with open(os.path.join(OUT, 'manifest.json'), 'w') as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
        f.write('\n')


def people(rng, start, n):
    return pa.table({
        'id': pa.array(range(start, start + n), pa.int64()),
        'name': pa.array([None if i % 7 == 3 else 'name-%d' % i for i in range(start, start + n)], pa.string()),
        'score': pa.array([None if i % 5 == 1 else round(rng.uniform(-100, 100), 3) for i in range(n)], pa.float64()),
        'born': pa.array([None if i % 6 == 2 else datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randint(0, 25000))
                          for i in range(n)], pa.date32()),
        'seen': pa.array([None if i % 8 == 4 else rng.randint(0, 2_000_000_000) * 1_000_000 + rng.randint(0, 999_999)
                          for i in range(n)], pa.int64()).cast(pa.timestamp('us', tz='UTC')),
        'balance': pa.array([None if i % 9 == 5 else decimal.Decimal(rng.randint(-10**11, 10**11)).scaleb(-2)
                             for i in range(n)], pa.decimal128(12, 2)),
        'active': pa.array([None if i % 10 == 7 else rng.random() < 0.5 for i in range(n)], pa.bool_()),
    })


def extra_tables(manifest, only_missing=False):
    """Schema evolution and OPTIMIZE (added later; `--add-new` creates them without touching the others)."""
    rng = random.Random(12)
    # 6. schema evolution: a column added by a merge-schema append; older files lack it (reads as NULL)
    p = os.path.join(OUT, 'evolved')
    if not (only_missing and os.path.isdir(p)):
        shutil.rmtree(p, ignore_errors=True)
        t0 = pa.table({'id': pa.array(range(8), pa.int64()),
                       'a': pa.array(['a%d' % i if i % 3 else None for i in range(8)], pa.string())})
        write_deltalake(p, t0)                                                   # v0
        t1 = pa.table({'id': pa.array(range(8, 14), pa.int64()),
                       'a': pa.array(['a%d' % i for i in range(8, 14)], pa.string()),
                       'b': pa.array([None if i == 9 else rng.uniform(-5, 5) for i in range(8, 14)], pa.float64())})
        write_deltalake(p, t1, mode='append', schema_mode='merge')             # v1: adds column b
        t2 = pa.table({'id': pa.array(range(14, 18), pa.int64()),
                       'a': pa.array(['a%d' % i for i in range(14, 18)], pa.string()),
                       'b': pa.array([rng.uniform(-5, 5) for _ in range(4)], pa.float64())})
        write_deltalake(p, t2, mode='append')                                    # v2
    manifest['evolved'] = expect('evolved', EXPECTED_VERSIONS['evolved'])
    # 7. OPTIMIZE: small files compacted into one (remove + add with dataChange false), then an append
    p = os.path.join(OUT, 'optimized')
    if not (only_missing and os.path.isdir(p)):
        shutil.rmtree(p, ignore_errors=True)
        for i in range(3):
            write_deltalake(p, people(rng, i * 6, 6), mode='append')           # v0..v2
        DeltaTable(p).optimize.compact()                                         # v3
        write_deltalake(p, people(rng, 18, 6), mode='append')                  # v4
    manifest['optimized'] = expect('optimized', EXPECTED_VERSIONS['optimized'])


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    rng = random.Random(11)
    manifest = {}

    # 1. history: create, append, overwrite (removes), append, delete
    p = os.path.join(OUT, 'history')
    write_deltalake(p, people(rng, 0, 30))                       # v0
    write_deltalake(p, people(rng, 30, 20), mode='append')       # v1
    write_deltalake(p, people(rng, 100, 25), mode='overwrite')   # v2: removes v0/v1 files
    write_deltalake(p, people(rng, 200, 15), mode='append')      # v3
    DeltaTable(p).delete('id % 3 = 0')                           # v4: copy-on-write (remove + add)
    manifest['history'] = expect('history', EXPECTED_VERSIONS['history'])

    # 2. partitioned, with a NULL partition and special characters in values
    p = os.path.join(OUT, 'partitioned')
    parts = [None, 'plain', 'a b', 'x:y', '50%', 'k=v', 'a/b', 'é ü']
    n = 48
    t = pa.table({
        'id': pa.array(range(n), pa.int64()),
        'part': pa.array([parts[i % len(parts)] for i in range(n)], pa.string()),
        'bucket': pa.array([None if i % 3 == 0 else 7 for i in range(n)], pa.int32()),
        'value': pa.array([None if i % 11 == 4 else i * 0.25 for i in range(n)], pa.float64()),
    })
    write_deltalake(p, t.slice(0, 30), partition_by=['part', 'bucket'])            # v0
    write_deltalake(p, t.slice(30), partition_by=['part', 'bucket'], mode='append')  # v1
    manifest['partitioned'] = expect('partitioned', EXPECTED_VERSIONS['partitioned'])

    # 3. checkpoint: five commits, a checkpoint at v4, two more commits
    p = os.path.join(OUT, 'checkpointed')
    for i in range(5):
        write_deltalake(p, people(rng, i * 10, 10), mode='append')  # v0..v4
    DeltaTable(p).create_checkpoint()                                # 00..04.checkpoint.parquet
    write_deltalake(p, people(rng, 50, 10), mode='append')           # v5
    DeltaTable(p).delete('id < 5')                                   # v6
    manifest['checkpointed'] = expect('checkpointed', EXPECTED_VERSIONS['checkpointed'])

    # 4. timestamp_ntz next to a UTC timestamp
    p = os.path.join(OUT, 'ntz')
    n = 20
    us = [None if i % 6 == 1 else rng.randint(-2_000_000_000, 4_000_000_000) * 1_000_000 + rng.randint(0, 999_999)
          for i in range(n)]
    t = pa.table({
        'id': pa.array(range(n), pa.int64()),
        'local_ts': pa.array(us, pa.int64()).cast(pa.timestamp('us')),
        'utc_ts': pa.array(list(reversed(us)), pa.int64()).cast(pa.timestamp('us', tz='UTC')),
        'day': pa.array([None if v is None else v // 86_400_000_000 for v in us], pa.int32()).cast(pa.date32()),
    })
    write_deltalake(p, t.slice(0, 12))
    write_deltalake(p, t.slice(12), mode='append')
    manifest['ntz'] = expect('ntz', EXPECTED_VERSIONS['ntz'])

    # 5. column mapping (name mode): physical names differ from logical names
    p = os.path.join(OUT, 'colmap')
    t = people(rng, 0, 16)
    try:
        write_deltalake(p, t.slice(0, 10), configuration={'delta.columnMapping.mode': 'name'})
        write_deltalake(p, t.slice(10), mode='append')
        manifest['colmap'] = expect('colmap', EXPECTED_VERSIONS['colmap'])
    except Exception as e:  # keep the other fixtures if this delta-rs cannot do it
        shutil.rmtree(p, ignore_errors=True)
        print('column mapping not created:', e)
        manifest['colmap'] = {'skipped': str(e)}

    extra_tables(manifest)

    # deterministic mtimes are not needed: tests never read them, but keep a stable value anyway
    for root, _, files in os.walk(OUT):
        for f in files:
            os.utime(os.path.join(root, f), (1_700_000_000, 1_700_000_000))
    write_manifest(manifest)


def expected_only():
    """Re-renders the expected files from the committed tables (no new table files)."""
    manifest = {name: expect(name, versions) for name, versions in EXPECTED_VERSIONS.items()
                if os.path.isdir(os.path.join(OUT, name))}
    write_manifest(manifest)


if __name__ == '__main__':
    if '--expected-only' in sys.argv:
        expected_only()
    elif '--add-new' in sys.argv:
        extra_tables({}, only_missing=True)
        expected_only()
    else:
        main()
