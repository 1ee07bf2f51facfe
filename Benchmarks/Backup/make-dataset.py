#!/usr/bin/env python3
"""The backup benchmark's data set, the same bytes on every run (seeded).

About 1 GiB in 10,000 files from 1 KiB to 64 MiB, in 100 folders: half the bytes text-like
(words from a fixed vocabulary, which compresses as logs and configs do), a third random (as
already-compressed or encrypted data), the rest zeros.

    python3 make-dataset.py OUT_DIR [--total-mib 1024] [--files 10000] [--seed 7]
"""
import argparse
import os
import random

WORDS = (b"backup restore region failover replica snapshot primary standby latency "
         b"checkpoint journal error warning info debug request response timeout retry "
         b"redis postgres vault git metrics bucket object manifest chunk cipher").split()


def sizes(rng, files, total):
    """File sizes skewed to small files (1 KiB .. 64 MiB) scaled to sum to `total`."""
    raw = [1024 * 2 ** (16 * rng.random() ** 4) for _ in range(files)]
    scale = total / sum(raw)
    out = [min(64 << 20, max(1024, int(size * scale))) for size in raw]
    out[-1] = max(1024, min(64 << 20, out[-1] + total - sum(out)))
    return out


def text(rng, size):
    words = []
    length = 0
    while length < size:
        line = b" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 16))) + b"\n"
        words.append(line)
        length += len(line)
    return b"".join(words)[:size]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("--total-mib", type=int, default=1024)
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    plan = sizes(rng, args.files, args.total_mib << 20)
    # Bytes, not files, decide the kind: walk the files and keep the running shares near 1/2, 1/3, 1/6.
    done = {"text": 0, "random": 0, "zeros": 0}
    share = {"text": 1 / 2, "random": 1 / 3, "zeros": 1 / 6}
    for index, size in enumerate(plan):
        total = sum(done.values()) + size
        kind = min(share, key=lambda k: (done[k] + size) / total - share[k])
        folder = os.path.join(args.out, f"d{index % 100:02d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"f{index:05d}.dat"), "wb") as handle:
            if kind == "text":
                handle.write(text(rng, size))
            elif kind == "random":
                handle.write(rng.randbytes(size))
            else:
                handle.write(bytes(size))
        done[kind] += size
    print(f"{len(plan)} files, {sum(plan) >> 20} MiB: " + ", ".join(f"{k} {v >> 20} MiB" for k, v in done.items()))


if __name__ == "__main__":
    main()
