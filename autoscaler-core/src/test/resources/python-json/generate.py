#!/usr/bin/env python3
"""Regenerates the expected outputs of Python's json module used by the ticket tests.

Run from this directory with CPython 3.9 or later (for math.nextafter; repr is the same since 3.1):
    python3 generate.py
Writes float-repr.txt, string-escapes.jsonl and canonical-payloads.jsonl; seeded, so the output
is the same on every run.
"""
import json
import math
import random
import struct

rng = random.Random(20260101)


def bits(x):
    return struct.unpack("<q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<q", b))[0]


values = [0.0, -0.0, 0.5, 242.0, 100.0, 1.0, -1.0, 0.1, 0.2, 0.3, 0.1 + 0.2, 1 / 3, 2 / 3, 1e16, 1e15,
          9999999999999998.0, 1e16 + 2, 1e17, 1.5e16, 123456789012345678.0, 0.0001, 0.00001, 0.00012345,
          1e-4 - 1e-20, 5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308, 1.7976931348623157e308,
          1e22, 1e23, 2e23, 9007199254740993.0, 2.0 ** 53 + 2, 4.35, 2.675, 1.005, 0.30000000000000004,
          1e21, 1e-7, 1.2345e-5, 12345678901234567890.0, 4.9e-324, 3.14159, math.pi, math.e,
          2.82879384806159e17, 1.1920928955078125e-07, 5.960464477539063e-08]
values += [2.0 ** e for e in range(-1074, 1024)]
values += [math.nextafter(2.0 ** e, 0.0) for e in range(-1073, 1024)]
values += [float("1e%d" % e) for e in range(-323, 309)]
values += [float("%de%d" % (rng.randint(1, 999999999), rng.randint(-330, 300))) for _ in range(1000)]
values += [round(rng.uniform(0, 10 ** rng.randint(0, 8)), rng.randint(0, 6)) for _ in range(1000)]
values += [rng.randint(1, 10 ** 6) / rng.randint(1, 1000) for _ in range(500)]
values += [rng.random() for _ in range(500)]
while len(values) < 6000:
    x = from_bits(rng.getrandbits(64) - (1 << 63))
    if math.isfinite(x):
        values.append(x)
values += [-v for v in values[:300]]
values += [float("nan"), float("inf"), float("-inf")]

with open("float-repr.txt", "w") as f:
    f.write("# raw IEEE-754 bits as a signed 64-bit decimal, then Python's repr(float)\n")
    for v in values:
        f.write("%d %s\n" % (bits(v), repr(v)))

strings = [[], [ord(c) for c in 'plain ascii / slash'], [0x22, 0x5C, 0x2F], list(range(0, 0x20)),
           [0x7E, 0x7F, 0x80, 0x9F, 0xA0, 0xFF], [0x00E9, 0x4E2D, 0xFFFF, 0xFEFF],
           [0xD83D, 0xDE00], [0xD800], [0xDFFF, 0x41], [0x2028, 0x2029]]
for _ in range(200):
    n = rng.randint(1, 12)
    strings.append([rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0xFFFF)]) for _ in range(n)])

with open("string-escapes.jsonl", "w") as f:
    for units in strings:
        s = struct.pack("<%dH" % len(units), *units).decode("utf-16-le", "surrogatepass")
        f.write(json.dumps({"utf16": units, "dumps": json.dumps(s)}) + "\n")

payloads = []
for i in range(50):
    cost = rng.choice([rng.randint(0, 100000), round(rng.uniform(0, 5000), rng.randint(0, 3)), 1e16, 1e-5])
    payloads.append({
        "aud": str(rng.randint(1, 99999999)),
        "cost": cost,
        "endpoint": rng.choice(["llama3-prod", "e", "my_endpoint", "gpu-w\u00f6rker"]),
        "exp": 1767225660 + i,
        "iat": 1767225600 + i,
        "jti": "j%d" % i,
        "kid": "kid-\"%d\"" % i,
        "reqnum": rng.randint(0, 2 ** 40),
        "request_idx": rng.randint(0, 2 ** 31),
        "url": "http://10.0.%d.%d:%d/p?q=\u00e9" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1024, 65535)),
    })
with open("canonical-payloads.jsonl", "w") as f:
    for p in payloads:
        f.write(json.dumps({"fields": p, "compact": json.dumps(p, separators=(",", ":"), sort_keys=True),
                            "indented": json.dumps(p, indent=4, sort_keys=True)}) + "\n")
