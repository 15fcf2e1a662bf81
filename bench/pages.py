"""Pages through the real HTTP stack: gunicorn (2 sync workers, bench settings, DEBUG
off) on 127.0.0.1, loaded by client threads for a bounded time per page."""

import http.client
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2
# As many client threads as workers: each request is served at once, so the latency
# is the page's own, not time spent queueing behind another request.
THREADS = WORKERS


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn serving the bench settings, started and stopped by this process."""

    def __init__(self, env):
        self.port = free_port()
        self.env = env

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603 (gunicorn from our venv)
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "parcours.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={WORKERS}",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env={**self.env, "DJANGO_SETTINGS_MODULE": "bench.settings"},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _ = get(self.port, "/bench/minimal/")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn n'a pas démarré")
            time.sleep(0.2)
        raise RuntimeError("gunicorn ne répond pas")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(port, path, cookie=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = f"sessionid={cookie}"
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response
    finally:
        connection.close()


def load(port, path, *, seconds, cookies=()):
    """Requests from THREADS threads for `seconds`: latencies (ms) and requests/s.
    Every thread has its own session, as users would."""
    latencies, failures = [], []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(cookie):
        while time.monotonic() < stop:
            began = time.perf_counter()
            status, _ = get(port, path, cookie)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    failures.append(status)

    began = time.monotonic()
    threads = [
        threading.Thread(target=client, args=(cookies[n % len(cookies)] if cookies else None,))
        for n in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    if not latencies:
        return {"requests": 0, "failures": len(failures), "statuses": sorted(set(failures))}
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "failures": len(failures),
        "statuses": sorted(set(failures)),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))], 1),
        "rps": round(len(latencies) / elapsed, 1),
    }


def measure_pages(env, urls, cookies, seconds):
    """Each page's latency and throughput, and the minimal view's throughput; the
    peak memory of the busiest gunicorn worker."""
    with Gunicorn(env) as server:
        results = {"minimal": load(server.port, "/bench/minimal/", seconds=seconds)}
        for name, url in urls.items():
            load(server.port, url, seconds=1, cookies=cookies)  # warm both workers
            results[name] = load(server.port, url, seconds=seconds, cookies=cookies)
        results["worker_peak_mb"] = worker_peak_mb(server.process.pid)
    minimal = results["minimal"].get("rps") or 0
    for name in urls:
        rps = results[name].get("rps")
        results[name]["rps_ratio"] = round(rps / minimal, 3) if rps and minimal else None
    return results


def worker_peak_mb(master):
    """The highest VmHWM (peak resident memory) among gunicorn's workers."""
    peak = 0
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            status = (child / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]))
    return round(peak / 1024, 1) if peak else None
