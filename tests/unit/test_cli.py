"""`raqib process`: the embedded mode through the command line."""

from __future__ import annotations

from pathlib import Path

import orjson
from click.testing import CliRunner

from streams.cli import main

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_cli_process_seeds_prints_one_result_per_file() -> None:
    result = CliRunner().invoke(main, ["process", str(SEEDS)])
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert all(r["label"] == "security" for r in rows)


def test_cli_process_jsonl_reports_bad_lines_and_goes_on(tmp_path: Path) -> None:
    lines = [
        orjson.dumps({"id": "ok", "text": "فاز المنتخب الوطني في المباراة الودية بهدفين."}),
        b"[1, 2]",
        orjson.dumps({"id": "also-ok", "text": "أوقفت الشرطة شخصين بالدار البيضاء."}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    result = CliRunner().invoke(main, ["process", str(path)])
    assert result.exit_code == 2
    assert [orjson.loads(x)["id"] for x in result.stdout.splitlines()] == ["ok", "also-ok"]
    assert "not_an_article" in result.stderr and f"{path}:2" in result.stderr


def test_cli_a_bad_setting_is_one_clear_line() -> None:
    result = CliRunner().invoke(main, ["settings"], env={"RAQIB_PARTITIONS": "0"})
    assert result.exit_code == 1
    assert result.output.strip() == "Error: RAQIB_PARTITIONS=0 must be positive"
