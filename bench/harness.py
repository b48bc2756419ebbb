"""Whole-process measurement for bench/run.py and bench/peers/compare.py.

Wall time: hyperfine (-N, no shell; its median), or, when hyperfine is missing, this module's own
timer (fork/exec + wait4, median). Peak RSS: GNU time (`/usr/bin/time -v`, "Maximum resident
set size"), median over a few runs, or wait4's ru_maxrss when GNU time is missing (the same
kernel figure). stdout goes to /dev/null in both, as hyperfine does by default.
"""
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HYPERFINE = shutil.which("hyperfine")
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def log(*args):
    print(*args, file=sys.stderr, flush=True)


class MeasureError(RuntimeError):
    pass


def check_once(argv, ok_codes=(0,), cwd=None, env=None):
    """Runs argv once (a warm-up that also proves the command works); returns its stderr."""
    p = subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if p.returncode not in ok_codes:
        raise MeasureError(f"{shlex.join(argv)} exited {p.returncode}:\n{p.stderr.decode(errors='replace')[-3000:]}")
    return p.stderr.decode(errors="replace")


def _own_timer(argv, runs, warmup, cwd, env, prepare=None):
    times, users, syss = [], [], []
    with open(os.devnull, "wb") as null:
        for i in range(warmup + runs):
            if prepare:
                subprocess.run(prepare, cwd=cwd, env=env, stdout=null, stderr=null)
            t0 = time.perf_counter()
            p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=null, stderr=null)
            _, _, ru = os.wait4(p.pid, 0)
            dt = time.perf_counter() - t0
            p.returncode = 0  # reaped above
            if i >= warmup:
                times.append(dt)
                users.append(ru.ru_utime)
                syss.append(ru.ru_stime)
    return times, users, syss


def wall(argv, runs, warmup=1, cwd=None, env=None, ignore_failure=False, prepare=None):
    """Median wall time of argv in seconds, with min, max and mean user/sys CPU. `prepare` (an
    argv) runs before every run, untimed."""
    if HYPERFINE:
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tf:
            out = tf.name
        cmd = [HYPERFINE, "-N", "--style", "none", "--warmup", str(warmup), "--runs", str(runs),
               "--export-json", out]
        if ignore_failure:
            cmd.append("-i")
        if prepare:
            cmd += ["--prepare", shlex.join(prepare)]
        cmd.append(shlex.join(argv))
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if p.returncode != 0:
            raise MeasureError(f"hyperfine failed on {shlex.join(argv)}:\n{p.stderr.decode(errors='replace')[-2000:]}")
        with open(out) as f:
            r = json.load(f)["results"][0]
        os.unlink(out)
        times = r["times"]
        user, system = r["user"], r["system"]
        tool = "hyperfine"
    else:
        times, users, syss = _own_timer(argv, runs, warmup, cwd, env, prepare)
        user, system = statistics.mean(users), statistics.mean(syss)
        tool = "own timer (wait4)"
    return {
        "median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
        "runs": len(times), "user_s": user, "sys_s": system, "tool": tool,
    }


def peak_rss_kb(argv, runs=5, cwd=None, env=None):
    """Median of the peak RSS (KiB) over `runs` runs, as /usr/bin/time -v reports it."""
    values = []
    for _ in range(runs):
        if GNU_TIME:
            with tempfile.NamedTemporaryFile(suffix=".time", delete=False) as tf:
                report = tf.name
            subprocess.run([GNU_TIME, "-v", "-o", report] + argv, cwd=cwd, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            kb = None
            with open(report) as f:
                for line in f:
                    if "Maximum resident set size" in line:
                        kb = int(line.rsplit(":", 1)[1])
            os.unlink(report)
            if kb is None:
                raise MeasureError(f"/usr/bin/time -v gave no RSS for {shlex.join(argv)}")
            values.append(kb)
        else:
            p = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(p.pid, 0)
            values.append(ru.ru_maxrss)
    return statistics.median(values)


def measure(name, argv, runs, warmup=1, rss_runs=5, cwd=None, env=None, ok_codes=(0,), note="",
            prepare=None):
    """Checks the command once, then its median wall time and median peak RSS."""
    log(f"  {name}: {shlex.join(argv)}")
    check_once(argv, ok_codes=ok_codes, cwd=cwd, env=env)
    r = wall(argv, runs, warmup=warmup, cwd=cwd, env=env, ignore_failure=ok_codes != (0,),
             prepare=prepare)
    r["rss_kb"] = peak_rss_kb(argv, runs=rss_runs, cwd=cwd, env=env) if rss_runs else None
    r["name"] = name
    r["command"] = shlex.join(argv)
    r["note"] = note
    log(f"    median {fmt_s(r['median_s'])} (min {fmt_s(r['min_s'])}, {r['runs']} runs), "
        f"peak RSS {fmt_kb(r['rss_kb'])}")
    return r


def fmt_s(s):
    if s is None:
        return "–"
    if s < 1e-3:
        return f"{s * 1e6:.0f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms" if s < 0.1 else f"{s * 1e3:.0f} ms"
    return f"{s:.2f} s"


def fmt_kb(kb):
    if kb is None:
        return "–"
    return f"{kb / 1024:.1f} MiB"


def fmt_ratio(x):
    if x is None:
        return "–"
    if x >= 100:
        return f"{x:.0f}×"
    if x >= 10:
        return f"{x:.1f}×"
    return f"{x:.2f}×"


def loadavg():
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


def wait_idle(max_seconds, threshold=1.0):
    """Waits (up to max_seconds) until the 1-minute load average is below threshold."""
    t0 = time.time()
    while time.time() - t0 < max_seconds:
        if loadavg()[0] < threshold:
            return True
        time.sleep(5)
    return loadavg()[0] < threshold
