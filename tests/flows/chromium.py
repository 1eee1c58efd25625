"""Headless Chromium for browser tests: dump a page's DOM, take a screenshot, read the PNG."""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

# Without the background-networking flags Chromium tries to reach Google's services; on an
# offline machine those connections are refused (and on any machine they are not ours).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
TIMEOUT_S = 120


def chromium() -> str:
    """Return the chromium executable; fail saying how to install it when it is missing."""
    path = shutil.which("chromium")
    if not path:
        raise AssertionError("chromium is not installed: run `make test` (its chromium step "
                             "installs Debian's chromium) or apt-get install chromium")
    return path


def run(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on a local file with a throwaway profile."""
    cmd = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, page.resolve().as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=True)


def dump_dom(page: Path, profile: Path) -> str:
    """Return the DOM of `page` after Chromium parsed and laid it out, serialised as HTML."""
    return run(page, profile, "--dump-dom").stdout


def screenshot(page: Path, profile: Path, png: Path, width: int, height: int) -> Path:
    """Save a screenshot of `page` in a `width` x `height` window to `png`."""
    run(page, profile, f"--screenshot={png}", f"--window-size={width},{height}")
    return png


def png_pixels(png: Path) -> tuple[int, int, list[bytes]]:
    """Return (width, height, rows of RGB(A) bytes) of an 8-bit RGB/RGBA non-interlaced PNG."""
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and not interlace, header
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride, rows, prev = width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):  # undo the row filter (PNG spec, section 9)
            left = line[i - bpp] if i >= bpp else 0
            up = prev[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = prev[i - bpp] if i >= bpp else 0
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, rows
