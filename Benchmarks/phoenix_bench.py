"""What the source benchmarks share: a phoenix-dr server on a configuration of theirs, timed
backups through its API (trigger to the job's end), and the artifact and keyring they leave."""
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request


def api(port, token, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def timed_backups(binary, home, datasets_yaml, dataset, runs):
    """Serves `datasets_yaml` (plus a data folder and a local store under `home`) and backs up
    `dataset` `runs` times; returns the wall times, the newest artifact and the keyring."""
    shutil.rmtree(home, ignore_errors=True)
    os.makedirs(home)
    config = os.path.join(home, "phoenix-dr.yaml")
    with open(config, "w") as handle:
        handle.write(f"server:\n  data_directory: {home}/data\n"
                     f"stores:\n  local: {{kind: local, path: {home}/data/backups}}\n" + datasets_yaml)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([binary, "serve", "--config", config, "--listen", f"127.0.0.1:{port}", "--log-level", "warning"],
                              stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                api(port, "", "/livez")
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("phoenix-dr did not start")
                time.sleep(0.1)
        token = open(f"{home}/data/admin.token").read().strip()
        time.sleep(1)  # the start-up catalog sync
        times = []
        for _ in range(runs):
            start = time.monotonic()
            job = api(port, token, "/v1/backups", json.dumps({"dataset": dataset}).encode())
            while True:
                state = api(port, token, f"/v1/jobs/{job['id']}")["state"]
                if state not in ("queued", "running"):
                    break
                time.sleep(0.005)  # polled often: the wait adds at most 5 ms to a run
            times.append(time.monotonic() - start)
            if state != "succeeded":
                sys.exit(f"our backup ended {state}")
    finally:
        server.terminate()
        server.wait()
    artifacts = [os.path.join(r, n) for r, _, ns in os.walk(f"{home}/data/backups") for n in ns if n.endswith(".pdr")]
    return times, sorted(artifacts)[-1], f"{home}/data/keyring"
