"""``breaker export`` and ``log --json`` stream row by row (issue 11, item 10) and still prints exactly the document it always did."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.test_store_faults import TRACE, breaker


def test_streamed_export_is_the_same_document(tmp_path: Path) -> None:
    db = tmp_path / "b.db"
    assert breaker("simulate", str(TRACE), "--db", str(db)).returncode == 0
    short = tmp_path / "short.jsonl"
    short.write_text('{"at": "2026-11-30T09:00:00+01:00", "event": "active"}\n'
                     '{"at": "2026-11-30T09:10:00+01:00", "event": "idle"}\n')
    empty_breaks = tmp_path / "e.db"
    assert breaker("simulate", str(short), "--db", str(empty_breaks)).returncode == 0
    for path in (db, empty_breaks):
        out = breaker("export", "--json", "--db", str(path))
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert out.stdout == json.dumps(data, indent=1, ensure_ascii=False) + "\n"  # the old whole-document form
        assert list(data) == ["bouts", "away", "prompts", "breaks"]
        log = breaker("log", "--json", "--db", str(path))
        assert log.stdout == json.dumps(json.loads(log.stdout), indent=1) + "\n"
        table = breaker("export", "--csv", "--db", str(path))
        rows = list(csv.DictReader(io.StringIO(table.stdout)))
        assert len(rows) == sum(len(v) for v in data.values())
    assert json.loads(breaker("export", "--json", "--db", str(empty_breaks)).stdout)["breaks"] == []
