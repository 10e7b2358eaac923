"""Writes the Spark (parquet-mr) Parquet fixtures under Tests/Fixtures/spark/ and their expected contents.

Spark is not a project dependency; install it in a venv outside the repository:
    python3 -m venv /tmp/spark-venv && /tmp/spark-venv/bin/pip install pyspark==3.5.9
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 /tmp/spark-venv/bin/python Tests/Fixtures/generate_spark.py
(the Spark venv needs no pyarrow; float32 shortest forms use the `struct` module.)
Each fixture is one part file (coalesce(1)) renamed to `<name>.parquet`; `.crc` and `_SUCCESS` files
are dropped. Expected rows are Spark's own reading of that file (collect), sorted by `id`.
"""
import datetime
import decimal
import glob
import json
import os
import random
import shutil
import struct
import sys
import tempfile
import time

os.environ['TZ'] = 'UTC'
time.tzset()
os.environ.setdefault('JAVA_HOME', '/usr/lib/jvm/java-17-openjdk-amd64')
os.environ.setdefault('SPARK_LOCAL_IP', '127.0.0.1')

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import render  # noqa: E402

OUT = os.path.join(HERE, 'spark')


def float32_shortest(x):
    """Shortest decimal digits that round-trip as float32 (without numpy)."""
    x = float(x)
    if x != x or x in (float('inf'), float('-inf')):
        return render.fmt_double(x)
    target = struct.unpack('<f', struct.pack('<f', x))[0]
    for digits in range(1, 10):
        s = '%.*g' % (digits, target)
        if struct.unpack('<f', struct.pack('<f', float(s)))[0] == target:
            return float(s)
    return target


def fmt(v, typ):
    if v is None:
        return None
    if isinstance(typ, (T.ByteType, T.ShortType, T.IntegerType, T.LongType)):
        return int(v)
    if isinstance(typ, T.BooleanType):
        return bool(v)
    if isinstance(typ, T.FloatType):
        return float32_shortest(v)
    if isinstance(typ, T.DoubleType):
        return render.fmt_double(v)
    if isinstance(typ, T.StringType):
        return v
    if isinstance(typ, T.BinaryType):
        return render.fmt_binary(v)
    if isinstance(typ, T.DateType):
        return v.isoformat()
    if isinstance(typ, T.TimestampNTZType):
        return render.fmt_ts_micros((v - render.EPOCH) // datetime.timedelta(microseconds=1), False)
    if isinstance(typ, T.TimestampType):
        # collect() gives a naive datetime in the Python process' local zone, which is UTC here
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return render.fmt_ts_micros((v - render.EPOCH) // datetime.timedelta(microseconds=1), True)
    if isinstance(typ, T.DecimalType):
        return render.fmt_decimal(v, typ.scale)
    if isinstance(typ, T.ArrayType):
        return [fmt(x, typ.elementType) for x in v]
    if isinstance(typ, T.MapType):
        return [{'key': fmt(k, typ.keyType), 'value': fmt(x, typ.valueType)} for k, x in v.items()]
    if isinstance(typ, T.StructType):
        return {f.name: fmt(v[f.name], f.dataType) for f in typ.fields}
    raise ValueError('unsupported Spark type %r' % typ)


SCHEMA = T.StructType([
    T.StructField('id', T.LongType(), False),
    T.StructField('by', T.ByteType()),
    T.StructField('sh', T.ShortType()),
    T.StructField('i', T.IntegerType()),
    T.StructField('l', T.LongType()),
    T.StructField('f', T.FloatType()),
    T.StructField('d', T.DoubleType()),
    T.StructField('s_low', T.StringType()),
    T.StructField('s_high', T.StringType()),
    T.StructField('bin', T.BinaryType()),
    T.StructField('flag', T.BooleanType()),
    T.StructField('day', T.DateType()),
    T.StructField('ts', T.TimestampType()),
    T.StructField('ts_ntz', T.TimestampNTZType()),
    T.StructField('dec7_2', T.DecimalType(7, 2)),
    T.StructField('dec15_3', T.DecimalType(15, 3)),
    T.StructField('dec30_8', T.DecimalType(30, 8)),
    T.StructField('arr', T.ArrayType(T.IntegerType(), True)),
    T.StructField('m', T.MapType(T.StringType(), T.LongType(), True)),
    T.StructField('st', T.StructType([T.StructField('x', T.LongType()), T.StructField('y', T.StringType())])),
])


def rows(n=40, seed=21):
    rng = random.Random(seed)
    out = []
    words = ['red', 'green', 'blue', '', 'ünï', 'a "q"']
    base_day = datetime.date(1900, 1, 1)
    for i in range(n):
        def maybe(v, k):
            return None if (i + k) % 7 == 3 else v
        us = rng.randint(-2_000_000_000, 4_000_000_000) * 1_000_000 + rng.randint(0, 999_999)
        ts = render.EPOCH + datetime.timedelta(microseconds=us)
        out.append((
            i,
            maybe(rng.randint(-128, 127), 0),
            maybe(rng.randint(-32768, 32767), 1),
            maybe(rng.randint(-2**31, 2**31 - 1), 2),
            maybe(rng.randint(-2**63, 2**63 - 1), 3),
            maybe(rng.choice([rng.uniform(-1e5, 1e5), float('nan'), float('inf'), -0.0]) if i % 5 == 0
                  else rng.uniform(-1e5, 1e5), 4),
            maybe(rng.choice([rng.uniform(-1e9, 1e9), float('nan'), float('-inf'), 5e-324]) if i % 6 == 0
                  else rng.uniform(-1e9, 1e9), 5),
            maybe(rng.choice(words), 6),
            maybe('user-%d-%x' % (i, rng.getrandbits(32)), 0),
            maybe(bytearray(rng.getrandbits(8) for _ in range(rng.randint(0, 9))), 1),
            maybe(rng.random() < 0.5, 2),
            maybe(base_day + datetime.timedelta(days=rng.randint(0, 60000)), 3),
            maybe(ts.replace(tzinfo=datetime.timezone.utc), 4),
            maybe(ts, 5),
            maybe(decimal.Decimal(rng.randint(-9999999, 9999999)).scaleb(-2), 6),
            maybe(decimal.Decimal(rng.randint(-10**15 + 1, 10**15 - 1)).scaleb(-3), 0),
            maybe(decimal.Decimal(rng.randint(-10**30 + 1, 10**30 - 1)).scaleb(-8), 1),
            maybe([None if rng.random() < 0.15 else rng.randint(-1000, 1000) for _ in range(rng.randint(0, 4))], 2),
            maybe({'k%d' % j: (None if (i + j) % 5 == 0 else i * 10 + j) for j in range(i % 3)}, 3),
            maybe((None if i % 4 == 0 else i * 3, 'y%d' % i), 4),
        ))
    return out


def write_fixture(spark, df, name, options=None, conf=None):
    conf = conf or {}
    saved = {k: spark.conf.get(k, None) for k in conf}
    for k, v in conf.items():
        spark.conf.set(k, v)
    tmp = tempfile.mkdtemp(prefix='spark-fixture-')
    w = df.coalesce(1).write.mode('overwrite')
    for k, v in (options or {}).items():
        w = w.option(k, v)
    w.parquet(tmp + '/out')
    for k, v in saved.items():
        if v is None:
            spark.conf.unset(k)
        else:
            spark.conf.set(k, v)
    parts = sorted(glob.glob(tmp + '/out/part-*.parquet'))
    assert len(parts) == 1, parts
    dest = os.path.join(OUT, name + '.parquet')
    shutil.move(parts[0], dest)
    shutil.rmtree(tmp)
    back = spark.read.parquet(dest)
    got = sorted(back.collect(), key=lambda r: r['id'])
    fields = back.schema.fields
    rendered = [{f.name: fmt(r[f.name], f.dataType) for f in fields} for r in got]
    schema = {'peer': 'pyspark ' + spark.version,
              'columns': [{'name': f.name, 'type': f.dataType.simpleString(), 'nullable': f.nullable}
                          for f in fields],
              'options': options or {}, 'conf': conf}
    render.write_expected(os.path.join(OUT, name), rendered, schema)
    print('%-22s rows=%d bytes=%d' % (name, len(rendered), os.path.getsize(dest)))


def write_dataset(spark, df, name, partition_by):
    """A partitioned folder `<name>/` (one file per partition folder); `.crc`/`_SUCCESS` removed."""
    dest = os.path.join(OUT, name)
    df.coalesce(1).write.mode('overwrite').partitionBy(*partition_by).parquet(dest)
    for root, _, files in os.walk(dest):
        for f in files:
            if f.startswith('.') or f.startswith('_'):
                os.remove(os.path.join(root, f))
    back = spark.read.parquet(dest)
    got = sorted(back.collect(), key=lambda r: r['id'])
    fields = back.schema.fields
    rendered = [{f.name: fmt(r[f.name], f.dataType) for f in fields} for r in got]
    schema = {'peer': 'pyspark ' + spark.version,
              'columns': [{'name': f.name, 'type': f.dataType.simpleString(), 'nullable': f.nullable}
                          for f in fields],
              'partition_by': partition_by}
    render.write_expected(dest, rendered, schema)
    print('%-22s rows=%d files=%d' % (name, len(rendered),
                                      sum(len(fs) for _, _, fs in os.walk(dest))))


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    spark = (SparkSession.builder.master('local[1]').appName('mltrack-fixtures')
             .config('spark.sql.session.timeZone', 'UTC')
             .config('spark.ui.enabled', 'false')
             .config('spark.driver.extraJavaOptions', '-Duser.timezone=UTC')
             .getOrCreate())
    spark.sparkContext.setLogLevel('ERROR')
    df = spark.createDataFrame(rows(), SCHEMA)
    # default writer: parquet v1 pages, PLAIN_DICTIONARY, INT96 timestamps, SNAPPY
    write_fixture(spark, df, 'default')
    # v2 writer (v2 data pages; RLE booleans, DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY when not dictionary-encoded)
    write_fixture(spark, df, 'v2', options={'parquet.writer.version': 'v2'})
    write_fixture(spark, df, 'v2_nodict', options={'parquet.writer.version': 'v2', 'parquet.enable.dictionary': 'false'})
    # legacy format: decimals as FIXED_LEN_BYTE_ARRAY, 2-level lists
    write_fixture(spark, df, 'legacy', conf={'spark.sql.parquet.writeLegacyFormat': 'true'})
    # INT64 TIMESTAMP(MICROS) instead of INT96, other codecs
    write_fixture(spark, df, 'ts_micros_zstd', options={'compression': 'zstd'},
                  conf={'spark.sql.parquet.outputTimestampType': 'TIMESTAMP_MICROS'})
    write_fixture(spark, df, 'nodict_gzip', options={'compression': 'gzip', 'parquet.enable.dictionary': 'false'})
    # a Hive-partitioned folder: string (with NULL and special characters), int and date partitions
    pdf = spark.createDataFrame(
        [(i, [None, 'a b', 'x:y', '50%', 'k=v'][i % 5], -1 if i % 2 else None,
          datetime.date(2024, 2, 29), i * 0.5) for i in range(24)],
        'id long, part string, bucket int, day date, value double')
    write_dataset(spark, pdf, 'partitioned', ['part', 'bucket', 'day'])
    with open(os.path.join(OUT, 'VERSION'), 'w') as f:
        f.write('pyspark %s\n' % spark.version)
    spark.stop()


if __name__ == '__main__':
    main()
