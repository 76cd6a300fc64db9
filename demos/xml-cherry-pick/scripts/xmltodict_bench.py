"""The same corpus through Python's xmltodict and compiled regexes, for side-by-side ratios.

Usage: python3 xmltodict_bench.py CORPUS SPEC
CORPUS: records joined by NUL bytes. SPEC: JSON from the Rust side (field paths and the regex
patterns the Rust regex strategy uses). Prints one JSON object on stdout.
"""
import json
import platform
import re
import sys
import time
from xml.sax.saxutils import unescape

try:
    import xmltodict
except ImportError:
    print(json.dumps({"missing": "the Python package xmltodict is not installed (pip install xmltodict)"}))
    sys.exit(0)

try:
    from importlib.metadata import version

    XMLTODICT_VERSION = version("xmltodict")
except Exception:  # noqa: BLE001 - the version is only shown
    XMLTODICT_VERSION = getattr(xmltodict, "__version__", "unknown")


def local(key):
    return key.split(":", 1)[-1]


def text_of(value):
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        text = value.get("#text")
        return text if isinstance(text, str) else None
    return None


def visit(node, path, out, first):
    if first and out:
        return
    if not path:
        out.append(text_of(node))
        return
    if not isinstance(node, dict):
        return
    step = path[0]
    for key, child in node.items():
        if key[:1] in "@#" or local(key) != step:
            continue
        for item in child if isinstance(child, list) else [child]:
            visit(item, path[1:], out, first)


def pick_tree(tree, fields):
    root = next(iter(tree.values()))
    picked = []
    for field in fields:
        out = []
        visit(root, field["path"], out, field["pick"] == "first")
        picked.append(out)
    return picked


def clean(text):
    text = unescape(text, {"&apos;": "'", "&quot;": '"'}).strip()
    return text or None


def regex_walk(text, segments, leaf, out, first):
    if not segments:
        found = leaf.search(text)
        if found:
            out.append(clean(found.group(1)))
        return
    segment, inner = segments[0], segments[1:]
    if not inner and leaf is None:
        out.extend(None for _ in segment.finditer(text))
        return
    for block in segment.finditer(text):
        if first and out:
            return
        regex_walk(block.group(1), inner, leaf, out, first)


def main():
    corpus_path, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        fields = json.load(f)["fields"]
    with open(corpus_path, "rb") as f:
        data = f.read()
    records = data.split(b"\0") if data else []

    compiled = [
        (
            [re.compile(p) for p in field["segment_patterns"]],
            re.compile(field["leaf_pattern"]) if field["leaf_pattern"] else None,
            field["pick"] == "first",
        )
        for field in fields
    ]

    picks, errors = [], []
    cpu_started = time.process_time()
    started = time.perf_counter()
    for index, record in enumerate(records):
        try:
            picks.append(pick_tree(xmltodict.parse(record), fields))
        except Exception as error:  # noqa: BLE001 - every failure is reported by index
            picks.append(None)
            errors.append([index, f"{type(error).__name__}: {error}"])
    full_seconds = time.perf_counter() - started
    full_cpu_seconds = time.process_time() - cpu_started

    regex_errors = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for record in records:
        try:
            text = record.decode("utf-8")
        except UnicodeDecodeError:
            regex_errors += 1
            continue
        for segments, leaf, first in compiled:
            regex_walk(text, segments, leaf, [], first)
    regex_seconds = time.perf_counter() - started
    regex_cpu_seconds = time.process_time() - cpu_started

    print(
        json.dumps(
            {
                "python": platform.python_version(),
                "xmltodict": XMLTODICT_VERSION,
                "records": len(records),
                "bytes": sum(len(r) for r in records),
                "full_seconds": full_seconds,
                "regex_seconds": regex_seconds,
                "full_cpu_seconds": full_cpu_seconds,
                "regex_cpu_seconds": regex_cpu_seconds,
                "regex_errors": regex_errors,
                "errors": errors,
                "picks": picks,
            }
        )
    )


if __name__ == "__main__":
    main()
