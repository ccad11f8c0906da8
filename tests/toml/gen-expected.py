#!/usr/bin/env python3
"""Write the expected JSON of a valid TOML fixture, using Python's tomllib
as an independent reader, in the mapping lib/toml.h documents.

usage: python3 tests/toml/gen-expected.py tests/toml/valid/NAME.toml...
       (writes NAME.json beside each; review the diff before committing)

tomllib turns dates and times into datetime objects, losing how they were
written; fixtures with dates need their expected strings checked by hand
(lib/toml.c keeps the digits as written, with "T" and "Z" upper-cased).
"""
import datetime
import json
import math
import sys
import tomllib


def convert(v):
    if isinstance(v, dict):
        return {k: convert(x) for k, x in v.items()}
    if isinstance(v, list):
        return [convert(x) for x in v]
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        print(f"note: date/time {v!r}: check the expected string by hand", file=sys.stderr)
        s = v.isoformat()
        return s[:-6] + "Z" if s.endswith("+00:00") else s
    return v


for path in sys.argv[1:]:
    with open(path, "rb") as f:
        doc = tomllib.load(f)
    with open(path[: -len(".toml")] + ".json", "w", encoding="utf-8") as f:
        json.dump(convert(doc), f, indent=2, ensure_ascii=False)
        f.write("\n")
