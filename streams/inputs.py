"""Reading articles from files for `raqib process` and `raqib push`.

.txt files are one article each (id = file name without extension), .html
files too; .jsonl files hold one RawArticle (or any message) per line; a
directory means the supported files inside it, sorted; "-" is stdin, one
message per line. Every input becomes the exact bytes a producer would send,
so the embedded mode validates them with the same `decode_raw` as the worker.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

SUFFIXES = (".txt", ".jsonl", ".json", ".html", ".htm")


@dataclass(frozen=True, slots=True)
class InputMessage:
    key: bytes | None
    value: bytes
    origin: str  # "path" or "path:line" for error messages


def _key_of(line: bytes) -> bytes | None:
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    if isinstance(data, dict) and isinstance(data.get("id"), str) and data["id"]:
        return data["id"].encode()
    return None


def _document(path: Path, field: str) -> InputMessage:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # passed on as is: decode_raw rejects it with invalid_utf8
        return InputMessage(path.stem.encode(), data, str(path))
    return InputMessage(path.stem.encode(), orjson.dumps({"id": path.stem, field: text}), str(path))


def _lines(stream: Iterable[bytes], origin: str) -> Iterator[InputMessage]:
    for number, line in enumerate(stream, start=1):
        line = line.rstrip(b"\r\n")
        if line.strip():
            yield InputMessage(_key_of(line), line, f"{origin}:{number}")


def read_inputs(paths: Iterable[str]) -> Iterator[InputMessage]:
    for name in paths:
        if name == "-":
            yield from _lines(sys.stdin.buffer, "stdin")
            continue
        path = Path(name)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
        elif path.exists():
            files = [path]
        else:
            raise FileNotFoundError(f"no such file or directory: {name}")
        for file in files:
            if file.suffix == ".jsonl":
                with open(file, "rb") as stream:
                    yield from _lines(stream, str(file))
            elif file.suffix == ".json":
                yield InputMessage(_key_of(file.read_bytes()), file.read_bytes(), str(file))
            elif file.suffix in (".html", ".htm"):
                yield _document(file, "html")
            else:
                yield _document(file, "text")
