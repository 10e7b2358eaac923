"""Render a peer's reading of a table as expected-contents JSON lines.

Rules (shared by every fixture generator, see README.md):
- one JSON object per row, keys = column names;
- date -> "YYYY-MM-DD";
- timestamp -> ISO-8601 with exactly 6 fraction digits, "Z" suffix when UTC-adjusted, none when naive;
  nanoseconds are truncated toward -infinity to microseconds;
- decimal -> string, exact, keeping the scale's digits ("-12.30");
- binary -> base64; null -> null;
- floats -> JSON numbers in shortest round-trip form (float32 columns: shortest float32 form);
  NaN / Infinity / -Infinity as strings;
- struct -> object, list -> array, map -> array of {"key": k, "value": v}.

Two front ends: `render_arrow_table` for anything pyarrow reads (pyarrow, deltalake) and the pure
Python helpers (`fmt_*`) used by the Spark generator on collected rows.
"""
import base64
import datetime
import decimal
import json
import math

EPOCH = datetime.datetime(1970, 1, 1)
EPOCH_DATE = datetime.date(1970, 1, 1)


def fmt_date_days(days):
    return (EPOCH_DATE + datetime.timedelta(days=int(days))).isoformat()


def fmt_ts_micros(us, utc):
    d = EPOCH + datetime.timedelta(microseconds=int(us))
    s = d.strftime('%Y-%m-%dT%H:%M:%S') + '.%06d' % d.microsecond
    if d.year < 1000:
        s = '%04d' % d.year + s[s.index('-'):]
    return s + ('Z' if utc else '')


def ticks_to_micros(v, unit):
    # floor division: truncation toward -infinity
    if unit == 's':
        return v * 1_000_000
    if unit == 'ms':
        return v * 1000
    if unit == 'us':
        return v
    if unit == 'ns':
        return v // 1000
    raise ValueError(unit)


def fmt_decimal(d, scale):
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        q = decimal.Decimal(d).quantize(decimal.Decimal(1).scaleb(-scale))
        return format(q, 'f')


def fmt_double(x):
    x = float(x)
    if math.isnan(x):
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    return x  # json.dumps uses repr: shortest round-trip


def fmt_float32(x):
    import numpy as np
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return fmt_double(x)
    # shortest digits that round-trip as float32, carried as a Python float
    return float(str(np.float32(x)))


def fmt_binary(b):
    return base64.b64encode(bytes(b)).decode('ascii')


def dumps_row(obj):
    return json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(',', ':'))


# ---------------------------------------------------------------- pyarrow front end

def render_arrow_array(arr):
    """Renders every slot of a pyarrow Array (not chunked) to JSON-ready Python values."""
    import pyarrow as pa
    import pyarrow.types as t
    typ = arr.type
    n = len(arr)
    valid = arr.is_valid().to_pylist() if arr.null_count else [True] * n

    def masked(vals):
        return [v if ok else None for v, ok in zip(vals, valid)]

    if t.is_dictionary(typ):
        return render_arrow_array(arr.dictionary_decode())
    if isinstance(typ, pa.ExtensionType):
        return render_arrow_array(arr.storage)
    if t.is_null(typ):
        return [None] * n
    if t.is_boolean(typ) or t.is_integer(typ):
        return arr.to_pylist()
    if t.is_float16(typ) or t.is_float32(typ):
        return masked([fmt_float32(v) if v is not None else None for v in arr.to_pylist()])
    if t.is_float64(typ):
        return masked([fmt_double(v) if v is not None else None for v in arr.to_pylist()])
    if t.is_string(typ) or t.is_large_string(typ) or t.is_string_view(typ):
        return arr.to_pylist()
    if t.is_binary(typ) or t.is_large_binary(typ) or t.is_fixed_size_binary(typ) or t.is_binary_view(typ):
        return [fmt_binary(v) if v is not None else None for v in arr.to_pylist()]
    if t.is_date32(typ):
        return masked([fmt_date_days(v) if v is not None else None for v in arr.cast(pa.int32()).to_pylist()])
    if t.is_date64(typ):
        return masked([fmt_date_days(v // 86_400_000) if v is not None else None
                       for v in arr.cast(pa.int64()).to_pylist()])
    if t.is_timestamp(typ):
        utc = typ.tz is not None
        if utc and typ.tz not in ('UTC', '+00:00', 'Etc/UTC'):
            raise ValueError('unexpected time zone ' + typ.tz)
        ticks = arr.view(pa.int64()).to_pylist()
        return masked([fmt_ts_micros(ticks_to_micros(v, typ.unit), utc) if v is not None else None
                       for v in ticks])
    if t.is_decimal(typ):
        return [fmt_decimal(v, typ.scale) if v is not None else None for v in arr.to_pylist()]
    if t.is_struct(typ):
        cols = [render_arrow_array(arr.field(i)) for i in range(typ.num_fields)]
        names = [typ.field(i).name for i in range(typ.num_fields)]
        out = []
        for r in range(n):
            out.append({names[i]: cols[i][r] for i in range(len(names))} if valid[r] else None)
        return out
    if t.is_map(typ):
        offsets = arr.offsets.to_pylist()
        keys = render_arrow_array(arr.keys)
        items = render_arrow_array(arr.items)
        return [[{'key': keys[j], 'value': items[j]} for j in range(offsets[r], offsets[r + 1])]
                if valid[r] else None for r in range(n)]
    if t.is_list(typ) or t.is_large_list(typ):
        offsets = arr.offsets.to_pylist()
        vals = render_arrow_array(arr.values)
        return [vals[offsets[r]:offsets[r + 1]] if valid[r] else None for r in range(n)]
    raise ValueError('unsupported type ' + str(typ))


def render_arrow_table(table):
    """Returns one dict per row."""
    names = table.column_names
    cols = []
    for name in names:
        rendered = []
        for chunk in table.column(name).chunks:
            rendered.extend(render_arrow_array(chunk))
        cols.append(rendered)
    return [{names[i]: cols[i][r] for i in range(len(names))} for r in range(table.num_rows)]


def arrow_schema_json(schema, peer):
    return {'peer': peer,
            'columns': [{'name': f.name, 'type': str(f.type), 'nullable': f.nullable} for f in schema]}


def write_expected(path_prefix, rows, schema_json=None):
    """Writes <prefix>.expected.jsonl (and <prefix>.schema.json when given)."""
    with open(path_prefix + '.expected.jsonl', 'w', encoding='utf-8') as f:
        for row in rows:
            f.write(dumps_row(row) + '\n')
    if schema_json is not None:
        with open(path_prefix + '.schema.json', 'w', encoding='utf-8') as f:
            json.dump(schema_json, f, indent=1, ensure_ascii=False)
            f.write('\n')
