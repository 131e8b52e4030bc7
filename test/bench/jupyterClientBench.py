"""Start-up and `1 + 1` round trip of a kernel, measured through jupyter_client (for comparing
ConvKAN's kernel with ipykernel the way Jupyter frontends see them). Prints one JSON object.

usage: /usr/bin/python3 jupyterClientBench.py KERNEL_NAME STARTS ROUNDS
"""
import json
import statistics
import sys
import time

from jupyter_client.manager import KernelManager

name, starts, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def wait_idle(kc, msg_id):
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "idle":
            return


start_ms, trip_ms = [], []
for i in range(starts):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    start_ms.append((time.perf_counter() - t0) * 1000)
    if i == 0:
        kc.execute_interactive("1 + 1", timeout=300, output_hook=lambda msg: None)  # warm-up: loads the runtime
        for _ in range(rounds):
            t = time.perf_counter()
            msg_id = kc.execute("1 + 1")
            kc.get_shell_msg(timeout=60)
            wait_idle(kc, msg_id)
            trip_ms.append((time.perf_counter() - t) * 1000)
    kc.stop_channels()
    km.shutdown_kernel(now=False)

print("BENCH_JSON " + json.dumps({
    "kernel": name,
    "start_ms": start_ms,
    "start_median_ms": statistics.median(start_ms),
    "roundtrip_median_ms": statistics.median(trip_ms),
    "roundtrip_min_ms": min(trip_ms),
    "roundtrip_max_ms": max(trip_ms),
    "rounds": len(trip_ms),
}), flush=True)
