"""Formats Benchmarks/run.sh results (lines DATASET<TAB>TOOL<TAB>JSON|ERROR msg) as Markdown.

Several lines per (dataset, tool) are rounds: best = the best run of any round, median = the median
of the rounds' medians. A DATASET "write:NAME" is a write benchmark (NAME read into memory, then written);
those rows go in a second table, after the scan table. A DATASET "train:NAME" is a training benchmark
(mltrack against one peer tool: scikit-learn for logistic regression, implicit for ALS, 2 threads each):
its table gives fit times, the time ratio mltrack/peer (below 1 = mltrack faster) and the model quality
each reports (AUC on the training rows; precision@10 / NDCG@10 on held-out pairs).
A DATASET "serve:cN" is the real-time benchmark at concurrency N (tools mltrack and mlflow, wrk's
JSON: req_per_s, p50_ms, p99_ms, errors): its table gives the medians over the rounds and the
throughput ratio mltrack/MLflow. A DATASET "score:NAME" is batch scoring Gold -> Gold (mltrack
against scikit-learn, end to end; the peer's process wall time, with its imports and model load, is
given too): the ratio is peer time / mltrack time (above 1 = mltrack faster).
"""
import datetime
import json
import os
import platform
import statistics
import sys

DESCRIPTIONS = {
    'scan_10m.parquet': 'Parquet 10M rows x 5 numeric cols, SNAPPY, 10 row groups',
    'delta_2m': 'Delta 2M rows (string, 2 dictionary strings, double, timestamp), 4 files',
    'write:scan_10m.parquet': 'scan_10m.parquet (10M rows x 5 numeric cols) written as one SNAPPY Parquet file',
    'write:delta_2m': 'delta_2m (2M rows, strings, double, timestamp) written as a new Delta table (SNAPPY)',
    'train:als_50k': 'Implicit ALS: 50k users x 10k items x 2M non-zeros, 64 factors, 15 iterations, CG 3 steps, '
                     '2 threads each',
    'train:logistic_1m.parquet': 'Logistic regression, 1M rows x 40 features, C=1, to convergence (tol 1e-4)',
    'score:customers_1m': 'Churn model, 1M-row customers Delta table -> Delta predictions (overwrite)',
}
# Quality fields a training benchmark may report, with their labels (higher is better for all).
QUALITY = [('precision_at_10', 'P@10'), ('ndcg_at_10', 'NDCG@10'), ('auc', 'AUC')]


def cpu_model():
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown CPU'


def main():
    path, runs = sys.argv[1], sys.argv[2]
    rounds = sys.argv[3] if len(sys.argv) > 3 else '1'
    results, order, errors, peers, train_runs = {}, [], [], set(), set()
    serve = {}  # (ds, tool) -> [wrk JSON per round]
    tracking = {}  # (ds, tool) -> [tracking_bench.py JSON per round]
    score_extra = {}  # (ds, tool) -> [process medians]
    with open(path) as f:
        for line in f:
            ds, tool, payload = line.rstrip('\n').split('\t', 2)
            if ds not in order:
                order.append(ds)
            if payload.startswith('ERROR'):
                errors.append('%s on %s: %s' % (tool, ds, payload[5:].strip()))
                continue
            try:
                r = json.loads(payload)
            except ValueError:
                errors.append('%s on %s: unparsable output %r' % (tool, ds, payload[:200]))
                continue
            if ds.startswith('serve:'):
                serve.setdefault((ds, tool), []).append(r)
                continue
            if ds.startswith('tracking:'):
                tracking.setdefault((ds, tool), []).append(r)
                continue
            if ds.startswith('score:') and 'process_median_s' in r:
                score_extra.setdefault((ds, tool), []).append(r['process_median_s'])
            results.setdefault((ds, tool), []).append(r)
            if ds.startswith('train:') and 'runs' in r:
                train_runs.add(r['runs'])
            if 'peer' in r:
                peers.add(r['peer'])
    for key, rs in list(results.items()):
        rows = {r['rows'] for r in rs}
        if len(rows) != 1:
            errors.append('%s on %s: row count changed between rounds %s' % (key[1], key[0], sorted(rows)))
        results[key] = {'rows': rs[0]['rows'], 'best_s': min(r['best_s'] for r in rs),
                        'median_s': statistics.median(r['median_s'] for r in rs), 'rounds': len(rs),
                        'quality': {f: rs[-1][f] for f, _ in QUALITY if f in rs[-1]},
                        'iterations': rs[-1].get('iterations')}

    def cell(r):
        return '%.3f / %.3f' % (r['best_s'], r['median_s']) if r else 'n/a'

    def rate(r):
        return '%.1f M' % (r['rows'] / r['median_s'] / 1e6) if r and r['median_s'] > 0 else 'n/a'

    try:
        load = ', load average %.1f' % os.getloadavg()[0]
    except OSError:
        load = ''
    if order and all(ds.startswith('tracking:') for ds in order):
        print('Measured %s on %s (%d cores%s); %s rounds alternating the servers.' % (
            datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d'), cpu_model(), os.cpu_count() or 0, load, rounds))
        print()
        tracking_report(tracking, errors)
        return
    only_training = all(ds.startswith('train:') for ds in order)
    only_scoring = all(ds.startswith(('serve:', 'score:')) for ds in order)
    if only_scoring:
        scoring_report(order, serve, results, score_extra, errors, rounds)
        return
    print('Measured %s on %s (%d cores%s), %s; %s rounds alternating the tools, each %s timed '
          'runs%s (best run / median of round medians); peers: %s.' % (
              datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d'), cpu_model(), os.cpu_count() or 0,
              load, 'trainers on 2 threads' if only_training else 'readers and writers single-threaded',
              rounds, '/'.join(str(n) for n in sorted(train_runs)) or '?' if only_training else runs,
              '' if only_training else ' after a warm-up', ', '.join(sorted(peers)) or 'n/a'))
    print()
    def table(datasets, first):
        print('| %s | Rows | mltrack best / median s | peer best / median s | mltrack rows/s | peer rows/s '
              '| mltrack/peer |' % first)
        print('|---|---:|---:|---:|---:|---:|---:|')
        for ds in datasets:
            m, p = results.get((ds, 'mltrack')), results.get((ds, 'pyarrow'))
            rows = (m or p or {}).get('rows')
            ratio = 'n/a'
            if m and p and m['median_s'] > 0 and p['median_s'] > 0:
                ratio = '%.2fx' % ((m['rows'] / m['median_s']) / (p['rows'] / p['median_s']))
            if m and p and m['rows'] != p['rows']:
                errors.append('row counts differ on %s: mltrack %d, peer %d' % (ds, m['rows'], p['rows']))
            print('| %s | %s | %s | %s | %s | %s | %s |' % (
                DESCRIPTIONS.get(ds, ds), '{:,}'.format(rows) if rows is not None else 'n/a',
                cell(m), cell(p), rate(m), rate(p), ratio))
        print()

    def train_table(datasets):
        print('| Training | Rows | mltrack best / median s | peer best / median s | mltrack quality | peer quality '
              '| mltrack/peer time |')
        print('|---|---:|---:|---:|---|---|---:|')
        for ds in datasets:
            m = results.get((ds, 'mltrack'))
            peer_tools = sorted(t for (d, t) in results if d == ds and t != 'mltrack')
            p = results.get((ds, peer_tools[0])) if peer_tools else None
            rows = (m or p or {}).get('rows')
            ratio = 'n/a'
            if m and p and p['median_s'] > 0:
                ratio = '%.2fx' % (m['median_s'] / p['median_s'])
            if m and p and 'auc' in m['quality'] and 'auc' in p['quality'] and abs(m['quality']['auc'] - p['quality']['auc']) > 1e-4:
                errors.append('AUC differs on %s by more than 1e-4: mltrack %.6f, peer %.6f' % (ds, m['quality']['auc'], p['quality']['auc']))
            if m and p and m['rows'] != p['rows']:
                errors.append('training rows differ on %s: mltrack %d, peer %d' % (ds, m['rows'], p['rows']))

            def quality(r):
                if not r or not r['quality']:
                    return 'n/a'
                return ', '.join(('%s %.6f' if f == 'auc' else '%s %.4f') % (label, r['quality'][f]) for f, label in QUALITY if f in r['quality'])
            print('| %s | %s | %s | %s | %s | %s | %s |' % (
                DESCRIPTIONS.get(ds, ds), '{:,}'.format(rows) if rows is not None else 'n/a', cell(m), cell(p),
                quality(m), quality(p) + (' (%s)' % peer_tools[0] if peer_tools else ''), ratio))
        print()

    trains = [ds for ds in order if ds.startswith('train:')]
    scans = [ds for ds in order if not ds.startswith('write:') and not ds.startswith('train:')]
    writes = [ds for ds in order if ds.startswith('write:')]
    if scans:
        table(scans, 'Input')
    if writes:
        print('Writes (the input read into memory once, then written to a fresh path per run; both tools '
              'fsync what they wrote, inside the timed region):')
        print()
        table(writes, 'Write')
    if trains:
        print('Training (only fit timed, the input matrix built beforehand; %s fits per round; '
              'quality: AUC on the training rows for logistic regression, P@10 and NDCG@10 on the held-out pairs for ALS, same definitions for both tools):' % (
                  '/'.join(str(n) for n in sorted(train_runs)) or 'BENCH_TRAIN_RUNS'))
        print()
        train_table(trains)
    if scans or writes:
        print('rows/s use the median run; mltrack/peer is the throughput ratio (above 1 = mltrack faster).')
    if trains:
        print('Training: mltrack/peer is the ratio of median fit times (below 1 = mltrack faster).')
    if any(ds.startswith(('serve:', 'score:')) for ds in order):
        scoring_report([ds for ds in order if ds.startswith(('serve:', 'score:'))], serve, results, score_extra,
                       [], rounds, header=False)
    if tracking:
        tracking_report(tracking, [])
    for e in errors:
        print('- %s' % e)


def tracking_report(tracking, errors):
    """The tracking-server table: the real mlflow client's wall time, then the replayed request
    sequence's throughput (server side), medians over the rounds, each pass's data verified."""
    def med(ds, tool, key):
        rs = tracking.get((ds, tool))
        return statistics.median(r[key] for r in rs) if rs else None

    def fmt(v, spec):
        return spec.format(v) if v is not None else 'n/a'

    c_m, c_f = med('tracking:client', 'mltrack', 'seconds'), med('tracking:client', 'mlflow', 'seconds')
    runs = (tracking.get(('tracking:client', 'mltrack')) or tracking.get(('tracking:client', 'mlflow')) or [{}])[0].get('runs', '?')
    replay = (tracking.get(('tracking:replay', 'mltrack')) or tracking.get(('tracking:replay', 'mlflow')) or [{}])[0]
    print('Tracking server: `mltrack server` and `mlflow server` (SQLite backends) on loopback. Client: the real mlflow '
          'client logging %s runs x (10 params, 100 metric points via log_batch), wall time. Replay: the recorded HTTP '
          'requests of those runs, replayed for %s runs (%s requests) over %s keep-alive connections by an asyncio client '
          '(server-side throughput). Medians over the rounds; every pass verified in the server\'s database (runs '
          'FINISHED, params and metric points counted).' % (
              runs, replay.get('runs', '?'), replay.get('requests', '?'), replay.get('connections', '?')))
    print()
    print('| Measure | mltrack | MLflow | mltrack/MLflow |')
    print('|---|---:|---:|---:|')
    ratio = '**%.1fx**' % (c_f / c_m) if c_m and c_f else 'n/a'
    print('| mlflow client: wall time s (runs/s) | %s | %s | %s faster |' % (
        '%.2f (%.1f)' % (c_m, runs / c_m) if c_m else 'n/a', '%.2f (%.1f)' % (c_f, runs / c_f) if c_f else 'n/a', ratio))
    for key, label in (('req_per_s', 'replay: requests/s'), ('runs_per_s', 'replay: runs/s')):
        m, f = med('tracking:replay', 'mltrack', key), med('tracking:replay', 'mlflow', key)
        print('| %s | %s | %s | %s |' % (label, fmt(m, '{:,.0f}'), fmt(f, '{:,.1f}'),
                                         '**%.1fx**' % (m / f) if m and f else 'n/a'))
    bad = sum(r.get('errors', 0) for rs in tracking.values() for r in rs)
    print()
    print('Replay errors (non-200 answers) over all rounds: %d.' % bad)
    print()
    for e in errors:
        print('- %s' % e)


def scoring_report(order, serve, results, score_extra, errors, rounds, header=True):
    """The serve (wrk) and score (batch) tables."""
    try:
        load = ', load average %.1f' % os.getloadavg()[0]
    except OSError:
        load = ''
    if header:
        print('Measured %s on %s (%d cores%s); %s rounds alternating the tools.' % (
            datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d'), cpu_model(), os.cpu_count() or 0,
            load, rounds))
        print()
    serves = [ds for ds in order if ds.startswith('serve:')]
    if serves:
        def med(rs, key):
            return statistics.median(r[key] for r in rs)
        print('Real-time: the same 1-row JSON request (dataframe_split) POSTed to /invocations by wrk on loopback; '
              'median over the rounds of each timed run (req/s, p50, p99):')
        print()
        print('| Concurrency (wrk threads) | mltrack req/s | mltrack p50 / p99 ms | MLflow req/s | MLflow p50 / p99 ms '
              '| mltrack/MLflow throughput | errors (mltrack / MLflow) |')
        print('|---|---:|---:|---:|---:|---:|---|')
        for ds in serves:
            m, f = serve.get((ds, 'mltrack')), serve.get((ds, 'mlflow'))

            def errs(rs):
                if not rs:
                    return 'n/a'
                keys = ('connect_errors', 'read_errors', 'write_errors', 'timeouts')
                # status_errors (wrk's non-2xx/3xx count) and non200 (the Lua hook's, when on) overlap
                return str(sum(sum(r.get(k, 0) for k in keys) + max(r.get('status_errors', 0), r.get('non200', 0))
                               for r in rs))
            threads = (m or f or [{}])[0].get('threads', '?')
            ratio = 'n/a'
            if m and f and med(f, 'req_per_s') > 0:
                ratio = '**%.1fx**' % (med(m, 'req_per_s') / med(f, 'req_per_s'))
            print('| %s (%s) | %s | %s | %s | %s | %s | %s / %s |' % (
                ds.split(':', 1)[1].lstrip('c'), threads,
                '{:,.0f}'.format(med(m, 'req_per_s')) if m else 'n/a',
                '%.3f / %.3f' % (med(m, 'p50_ms'), med(m, 'p99_ms')) if m else 'n/a',
                '{:,.1f}'.format(med(f, 'req_per_s')) if f else 'n/a',
                '%.1f / %.1f' % (med(f, 'p50_ms'), med(f, 'p99_ms')) if f else 'n/a',
                ratio, errs(m), errs(f)))
        print()
        print('errors: connect/read/write errors, timeouts and non-2xx answers, summed over the timed runs.')
        print()
    scores = [ds for ds in order if ds.startswith('score:')]
    if scores:
        print('Batch: end to end Gold -> Gold; mltrack timed as a whole process, the peer from its read to its committed '
              'write (its process time, with interpreter start-up, imports and model load, in brackets):')
        print()
        print('| Job | Rows | mltrack best / median s | peer best / median s (process median) | mltrack rows/s | '
              'peer rows/s | peer time / mltrack time |')
        print('|---|---:|---:|---:|---:|---:|---:|')
        for ds in scores:
            m = results.get((ds, 'mltrack'))
            p = results.get((ds, 'scikit-learn'))
            rows = (m or p or {}).get('rows')
            proc = score_extra.get((ds, 'scikit-learn'))
            ratio = 'n/a'
            if m and p and m['median_s'] > 0:
                ratio = '**%.2fx**' % (p['median_s'] / m['median_s'])

            def rate(r):
                return '%.2f M' % (r['rows'] / r['median_s'] / 1e6) if r and r['median_s'] > 0 else 'n/a'
            print('| %s | %s | %s | %s | %s | %s | %s |' % (
                DESCRIPTIONS.get(ds, ds), '{:,}'.format(rows) if rows is not None else 'n/a',
                '%.3f / %.3f' % (m['best_s'], m['median_s']) if m else 'n/a',
                ('%.3f / %.3f (%.2f)' % (p['best_s'], p['median_s'], statistics.median(proc)) if proc else
                 '%.3f / %.3f' % (p['best_s'], p['median_s'])) if p else 'n/a',
                rate(m), rate(p), ratio))
        print()
    for e in errors:
        print('- %s' % e)


if __name__ == '__main__':
    main()
