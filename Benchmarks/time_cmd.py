"""Times a command end to end (wall clock of the whole process), after one warm-up run.

  python time_cmd.py --runs N --rows R [--check-table OUT] -- CMD ARG…

Prints one JSON line {"rows", "best_s", "median_s", "runs", "process_best_s", "process_median_s"}.
best_s/median_s are the process wall times, unless the command's last stdout line is JSON with a
"seconds" field (a peer timing its own job after its imports and model load): then best_s/median_s
are those inner timings and process_* keep the wall times. With --check-table, after each run the
Delta table OUT must hold R rows (read with deltalake), else the run fails.
Exit status non-zero (stderr names the run and the command's error) if any run fails.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--runs', type=int, default=3)
    ap.add_argument('--rows', type=int, required=True)
    ap.add_argument('--check-table')
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.cmd[1:] if a.cmd and a.cmd[0] == '--' else a.cmd
    if not cmd:
        sys.exit('time_cmd.py: no command')
    walls, inner = [], []
    for i in range(a.runs + 1):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t0
        if p.returncode != 0:
            sys.stderr.write('run %d of %s exited %d: %s\n' % (i, cmd[0], p.returncode, (p.stderr or p.stdout)[-400:]))
            sys.exit(1)
        if a.check_table:
            from deltalake import DeltaTable
            n = DeltaTable(a.check_table).to_pyarrow_dataset().count_rows()
            if n != a.rows:
                sys.stderr.write('run %d: %s holds %d rows, expected %d\n' % (i, a.check_table, n, a.rows))
                sys.exit(1)
        if i == 0:
            continue  # warm-up (page cache, first-run costs)
        walls.append(wall)
        last = (p.stdout.strip().splitlines() or [''])[-1]
        try:
            j = json.loads(last)
            if isinstance(j, dict) and 'seconds' in j:
                inner.append(float(j['seconds']))
        except ValueError:
            pass
    main_times = inner if len(inner) == len(walls) else walls
    print(json.dumps({'rows': a.rows, 'best_s': min(main_times), 'median_s': statistics.median(main_times),
                      'runs': a.runs, 'process_best_s': min(walls),
                      'process_median_s': statistics.median(walls)}))


if __name__ == '__main__':
    main()
