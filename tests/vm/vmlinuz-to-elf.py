#!/usr/bin/env python3
"""Usage: vmlinuz-to-elf.py <vmlinuz> <vmlinux-out>

Writes the vmlinux ELF that a bzImage carries compressed, as the kernel's
scripts/extract-vmlinux does: find a compressor's magic, decompress from
there, keep the first result that is an ELF file. The .BTF section survives
in it (it is loaded at run time), so llvm-objcopy can dump it afterwards.
Debian's 6.1 uses xz; gzip is tried too (stdlib only: no zstd).
"""
import gzip
import lzma
import sys
import zlib


def candidates(data):
    """Yields decompressed payloads for every xz or gzip magic in data."""
    for magic, kind in ((b"\xfd7zXZ\x00", "xz"), (b"\x1f\x8b\x08", "gzip")):
        start = data.find(magic)
        while start != -1:
            try:
                if kind == "xz":
                    yield lzma.LZMADecompressor().decompress(data[start:])
                else:
                    yield zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data[start:])
            except (lzma.LZMAError, zlib.error, gzip.BadGzipFile):
                pass
            start = data.find(magic, start + 1)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    for payload in candidates(data):
        if payload[:4] == b"\x7fELF":
            with open(sys.argv[2], "wb") as out:
                out.write(payload)
            return
    sys.exit(f"{sys.argv[1]}: no xz- or gzip-compressed ELF payload found")


if __name__ == "__main__":
    main()
