#!/usr/bin/env python3
"""Writes src-tauri/link-order.txt: the functions of the desktop app that run when it starts
and while a user searches, for the linker to place side by side (see src-tauri/build.rs).

The kernel maps code in windows of 16 pages around each page the app touches, so hot
functions scattered over 40 MB of code keep about three times their size in memory. To learn
which pages are really touched, the app's binary is copied, dropped from the page cache and
run with read-ahead off: each page then comes in alone, when touched. The window test
(`tests/e2e/perf.rs`: start, typing, searches) drives the app; its resident code pages are read
from /proc/PID/pagemap until it exits, and the functions on them are written in address order.

Usage (root: read-ahead is a setting of the disk; it is restored at the end):
    scripts/link-order.py LIBRARY [OUT]
"""
import bisect
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.sysconf("SC_PAGE_SIZE")


def disk_of(path):
    """The /sys/block queue of the disk holding `path`."""
    dev = os.stat(path).st_dev
    major, minor = os.major(dev), os.minor(dev)
    for name in os.listdir("/sys/block"):
        with open(f"/sys/block/{name}/dev") as f:
            if f.read().strip() == f"{major}:{minor}":
                return f"/sys/block/{name}/queue/read_ahead_kb"
    raise SystemExit(f"no block device {major}:{minor} for {path}")


def resident_offsets(pid, binary):
    """File offsets of the resident pages of `binary`'s executable mappings in `pid`."""
    out = set()
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/pagemap", "rb") as pm:
        for line in maps:
            parts = line.split(maxsplit=5)
            if len(parts) < 6 or parts[5].strip() != binary or "x" not in parts[1]:
                continue
            start, end = (int(x, 16) for x in parts[0].split("-"))
            offset = int(parts[2], 16)
            pages = (end - start) // PAGE
            pm.seek(start // PAGE * 8)
            data = pm.read(pages * 8)
            for i in range(len(data) // 8):
                if struct.unpack_from("<Q", data, i * 8)[0] >> 63:
                    out.add(offset + i * PAGE)
    return out


def pids_of(binary):
    found = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                if os.readlink(f"/proc/{p}/exe") == binary:
                    found.append(int(p))
            except OSError:
                pass
    return found


def text_layout(binary):
    """(file offset, address, size) of each loadable segment."""
    out = subprocess.run(["readelf", "-lW", binary], capture_output=True, text=True, check=True)
    loads = []
    for line in out.stdout.splitlines():
        p = line.split()
        if p and p[0] == "LOAD":
            loads.append((int(p[1], 16), int(p[2], 16), int(p[4], 16)))
    return loads


def functions(binary):
    out = subprocess.run(
        ["nm", "--defined-only", "-S", "-n", binary], capture_output=True, text=True, check=True
    )
    syms = []
    for line in out.stdout.splitlines():
        p = line.split()
        if len(p) == 4 and p[2] in "tT":
            syms.append((int(p[0], 16), int(p[1], 16), p[3]))
    return syms


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    library = sys.argv[1]
    dest = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "src-tauri", "link-order.txt")
    built = os.path.join(ROOT, "target", "release", "pustaka-desktop")
    # Beside the build (on a disk, where /tmp may be in memory and have no read-ahead to turn off).
    work = tempfile.mkdtemp(prefix="link-order-", dir=os.path.join(ROOT, "target"))
    binary = os.path.join(work, "pustaka-desktop")
    shutil.copy2(built, binary)
    fd = os.open(binary, os.O_RDONLY)
    os.fsync(fd)
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    os.close(fd)
    queue = disk_of(binary)
    with open(queue) as f:
        readahead = f.read().strip()
    touched = set()
    try:
        with open(queue, "w") as f:
            f.write("0")
        env = dict(os.environ, PUSTAKA_APP=binary)
        test = subprocess.Popen(
            ["cargo", "test", "--locked", "--features", "desktop", "--test", "e2e", "--",
             "--perf", library],
            cwd=ROOT, env=env,
        )
        while test.poll() is None:
            for pid in pids_of(binary):
                try:
                    touched |= resident_offsets(pid, binary)
                except OSError:
                    pass
            time.sleep(0.25)
    finally:
        with open(queue, "w") as f:
            f.write(readahead)
    if test.returncode != 0 or not touched:
        raise SystemExit(f"the window test failed ({test.returncode}) or nothing was seen")
    loads = text_layout(binary)
    addrs = set()
    for off in touched:
        for fo, va, size in loads:
            if fo <= off < fo + size:
                addrs.add(va + (off - fo))
    syms = functions(binary)
    starts = [s[0] for s in syms]
    chosen = {}
    for page in sorted(addrs):
        i = max(bisect.bisect_left(starts, page) - 1, 0)
        while i < len(syms) and syms[i][0] < page + PAGE:
            addr, size, name = syms[i]
            if addr + max(size, 1) > page:
                chosen.setdefault(name, addr)
            i += 1
    names = sorted(chosen, key=chosen.get)
    with open(dest, "w") as f:
        f.write("".join(n + "\n" for n in names))
    size = sum(s[1] for s in syms if s[2] in chosen)
    print(f"{len(touched)} code pages touched ({len(touched) * PAGE / 2**20:.1f} MiB); "
          f"{len(names)} functions, {size / 2**20:.1f} MiB, written to {dest}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
