"""gxextract batch: outputs, failures, resume after kill -9, renames and changes, Ray, untrusted names."""

from __future__ import annotations

import codecs
import csv
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from gxextract.batch import BatchOptions, run_batch
from gxextract.batch.discovery import discover, is_list_file
from gxextract.outputs.files import BatchBusy, locked
from gxextract.outputs.journal import Journal, read_records
from gxextract.outputs.latest import scan
from gxextract.outputs.names import csv_text, safe_stem

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "fixtures" / "seeds").glob("*.txt"))

HELPERS = '''
import os, time
from gxextract import extract as real

def slow(path):
    time.sleep(0.08)
    return real(path)

def misbehave(path):
    data = open(path, "rb").read()
    if b"HANG" in data:
        time.sleep(3600)
    if b"CRASH" in data:
        os._exit(3)
    if b"HOG" in data:
        hog = bytearray(16 << 30)
    return real(path)
'''


@pytest.fixture
def helpers(tmp_path, monkeypatch) -> Path:
    """A module of misbehaving extractors, importable here and in workers."""
    folder = tmp_path / "helpers"
    folder.mkdir()
    (folder / "gxhelp.py").write_text(textwrap.dedent(HELPERS), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    return folder


def variant(seed: Path, i: int) -> bytes:
    """A copy of a seed report with a changed number (a new document, same statistics)."""
    return seed.read_bytes() + f"\n附注：本报告副本编号 {i}。\n".encode("utf-8")


def make_corpus(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        seed = SEEDS[i % len(SEEDS)]
        p = folder / f"{i:03d}_{seed.stem}.txt"
        p.write_bytes(variant(seed, i) if i >= len(SEEDS) else seed.read_bytes())
        paths.append(p)
    return paths


def opts(inputs, out, **kw) -> BatchOptions:
    kw.setdefault("workers", 2)
    kw.setdefault("quiet", True)
    return BatchOptions(inputs=[str(i) for i in inputs], out=out, **kw)


def report_lines(out: Path) -> list[dict]:
    return [rec for _, rec in read_records(out / "reports.jsonl")]


def error_lines(out: Path) -> list[dict]:
    return [rec for _, rec in read_records(out / "errors.jsonl")]


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV for spreadsheets: UTF-8 with BOM"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


# ---------------------------------------------------------------- outputs and a corrupt file


def test_outputs_and_a_corrupt_file_in_the_middle(tmp_path):
    pd = pytest.importorskip("pandas")
    import pyarrow.parquet as pq

    inputs = tmp_path / "in"
    docs = make_corpus(inputs, 8)
    (inputs / "004b_corrupt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pag")  # truncated
    (inputs / "004c_junk.bin").write_bytes(bytes(range(256)) * 40)  # not a document: skipped, counted
    (inputs / "004e_cut.docx").write_bytes(b"PK\x03\x04\x14\x00" + bytes(range(256)))  # a damaged document
    (inputs / "004d_empty.txt").write_bytes(b"")
    (inputs / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    out = tmp_path / "out"

    summary = run_batch(opts([inputs], out))

    assert summary.documents == 10 and summary.processed == 10
    assert summary.skipped == {"binary": 1, "empty": 1, "hidden": 1}
    assert summary.ok + summary.flagged == 8 and summary.failed == 2
    errors = sorted((e for e in error_lines(out) if e["code"] != "skipped"), key=lambda e: e["path"])
    assert [e["path"] for e in errors] == [str((inputs / n).resolve()) for n in ("004b_corrupt.pdf", "004e_cut.docx")]
    for e in errors:
        assert e["code"] in {"unreadable", "unsupported_format", "missing_dependency"} and e["message"]
    skipped = {Path(e["path"]).name: e["reason"] for e in error_lines(out) if e["code"] == "skipped"}
    assert skipped == {"004c_junk.bin": "binary", "004d_empty.txt": "empty"}  # hidden files are no inputs

    reports = {r["document"]: r for r in report_lines(out)}
    assert len(reports) == 8 and len(report_lines(out)) == 8
    assert {r["batch"]["path"] for r in reports.values()} == {str(p.resolve()) for p in docs}
    for r in reports.values():  # the output contract, plus the document key
        assert {"template", "year", "agency", "fields", "source"} <= r.keys()
        assert r["source"]["sha256"] == r["document"]

    # fields.parquet: long form, one row per (document, field), the values of the reports
    table = pq.read_table(out / "fields.parquet")
    assert {"document", "agency", "year", "template", "field", "value", "unit", "confidence",
            "needs_review", "flags", "page"} <= set(table.column_names)
    rows = table.to_pylist()
    assert len(rows) == sum(len(r["fields"]) for r in reports.values())
    for row in rows:
        f = reports[row["document"]]["fields"][row["field"]]
        assert row["value"] == f["value"] and row["needs_review"] == f["needs_review"]
        assert row["unit"] == f["unit"] and row["flags"] == f["flags"]
        assert row["agency"] == reports[row["document"]]["agency"]
    df = pd.read_parquet(out / "fields.parquet")
    assert df.groupby("document").size().to_dict() == {k: len(r["fields"]) for k, r in reports.items()}

    # reports.csv: wide, one row per report, one column per field id
    wide = read_csv(out / "reports.csv")
    assert sorted(w["document"] for w in wide) == sorted(reports)
    wdf = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    assert wdf["document"].is_unique and len(wdf) == 8
    for w in wide:
        r = reports[w["document"]]
        assert w["template"] == r["template"] and w["year"] == str(r["year"])
        for fid, f in r["fields"].items():
            assert w[fid] == ("" if f["value"] is None else str(f["value"])), fid
            if f["unit"]:
                assert w[f"{fid} [unit]"] == f["unit"]

    # review.csv: every flagged cell with its reason
    review = read_csv(out / "review.csv")
    flagged = {(k, fid) for k, r in reports.items() for fid, f in r["fields"].items() if f["needs_review"]}
    assert {(x["document"], x["field"]) for x in review} == flagged
    assert all(x["reason"] for x in review)

    # json/: one output-contract file per report, named like its input (what score.py reads)
    names = sorted(p.name for p in (out / "json").glob("*.json"))
    assert names == sorted(f"{p.stem}.json" for p in docs)
    one = json.loads((out / "json" / f"{docs[0].stem}.json").read_text(encoding="utf-8"))
    assert one["fields"] == reports[one["document"]]["fields"]


# ---------------------------------------------------------------- worker failures


def test_hang_crash_and_memory_hog_are_recorded_and_the_batch_goes_on(tmp_path, helpers):
    inputs = tmp_path / "in"
    make_corpus(inputs, 3)
    seed = SEEDS[3].read_bytes()
    for marker in ("HANG", "CRASH", "HOG"):
        (inputs / f"{marker.lower()}.txt").write_bytes(seed + f"\n{marker}\n".encode())
    out = tmp_path / "out"

    summary = run_batch(opts([inputs], out, timeout=3, memory_limit_mb=1536, extractor="gxhelp:misbehave"))

    codes = {Path(e["path"]).name: e["code"] for e in error_lines(out)}
    assert codes == {"hang.txt": "timeout", "crash.txt": "crashed", "hog.txt": "out_of_memory"}
    assert summary.failure_codes == {"timeout": 1, "crashed": 1, "out_of_memory": 1}
    assert len(report_lines(out)) == 3  # the others all succeeded, on replaced workers


# ---------------------------------------------------------------- resume


def _batch_processes(marker: str) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker.encode() in (proc / "environ").read_bytes():
                    pids.append(int(proc.name))
            except OSError:
                pass
    return pids


def test_kill_9_mid_run_then_rerun_gives_every_document_exactly_once(tmp_path, helpers):
    inputs = tmp_path / "in"
    docs = make_corpus(inputs, 40)
    out = tmp_path / "out"
    marker = f"GX_BATCH_TEST_{uuid.uuid4().hex}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(helpers), os.environ.get("PYTHONPATH", "")]),
               **{marker: "1"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "gxextract.batch", str(inputs), "--out", str(out), "-j", "2", "--quiet",
         "--extractor", "gxhelp:slow"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (out / "reports.jsonl").exists() and len(report_lines(out)) >= 8:
            break
        assert proc.poll() is None, "the batch ended before it could be killed"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done_before = len(report_lines(out))
    assert 8 <= done_before < 40
    assert not (out / "fields.parquet").exists()  # killed before the end: no half tables
    # power loss in the middle of a write: a torn last line
    with open(out / "reports.jsonl", "ab") as fh:
        fh.write(b'{"document":"' + b"0" * 64 + b'","batch":{"pa')

    # no worker is left behind
    deadline = time.monotonic() + 15
    while _batch_processes(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _batch_processes(marker) == []

    summary = run_batch(opts([inputs], out))
    assert summary.already_done == done_before
    assert summary.processed == 40 - done_before

    keys = [r["document"] for r in report_lines(out)]
    assert len(keys) == len(set(keys)) == 40
    assert (out / "reports.jsonl").read_bytes().endswith(b"\n")
    import pyarrow.parquet as pq

    table = pq.read_table(out / "fields.parquet", columns=["document"])
    assert set(table.column("document").to_pylist()) == set(keys)
    wide = read_csv(out / "reports.csv")
    assert sorted(w["document"] for w in wide) == sorted(keys)
    assert {w["path"] for w in wide} == {str(p.resolve()) for p in docs}


def test_renamed_file_is_not_redone_changed_file_is_and_force_redoes_all(tmp_path):
    inputs = tmp_path / "in"
    a, b, c = make_corpus(inputs, 3)
    out = tmp_path / "out"
    first = run_batch(opts([inputs], out))
    assert first.processed == 3

    renamed = a.with_name("renamed_" + a.name)
    a.rename(renamed)
    text = SEEDS[0].read_text(encoding="utf-8")
    assert "\n1887\n" in text  # active.other_services.decisions of the first seed
    b.write_text(text.replace("\n1887\n", "\n1888\n", 1), encoding="utf-8")  # b now holds changed numbers

    second = run_batch(opts([inputs], out))
    assert (second.already_done, second.processed) == (2, 1)
    wide = {Path(w["path"]).name: w for w in read_csv(out / "reports.csv")}
    assert set(wide) == {renamed.name, b.name, c.name}  # the current names, each once
    assert wide[b.name]["active.other_services.decisions"] == "1888"
    assert wide[renamed.name]["active.other_services.decisions"] == "1887"

    third = run_batch(opts([inputs], out, force=True))
    assert (third.already_done, third.processed) == (0, 3)
    latest = scan(out)
    assert len(latest.reports) == 4  # b's old version stays in the journal (not in the tables)
    assert latest.report_lines == 4  # compacted: one line per document
    assert len(read_csv(out / "reports.csv")) == 3


def test_failed_documents_are_done_unless_retried(tmp_path):
    inputs = tmp_path / "in"
    make_corpus(inputs, 1)
    (inputs / "notes.txt").write_text("会议纪要：本周无事。\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch(opts([inputs], out)).failure_codes == {"not_a_report": 1}
    assert run_batch(opts([inputs], out)).processed == 0
    again = run_batch(opts([inputs], out, retry_failed=True))
    assert again.processed == 1 and len(error_lines(out)) == 1


# ---------------------------------------------------------------- discovery


def test_discovery_by_content_lists_and_duplicates(tmp_path):
    root = tmp_path / "c"
    (root / "sub" / ".hidden").mkdir(parents=True)
    report_no_ext = root / "sub" / "a_report_without_extension"
    report_no_ext.write_bytes(SEEDS[0].read_bytes())  # picked up by content, not by name
    (root / "sub" / "z_copy.txt").write_bytes(SEEDS[0].read_bytes())  # same bytes: one document
    (root / "sub" / ".hidden" / "x.txt").write_bytes(SEEDS[1].read_bytes())
    (root / "archive.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 64)  # not a docx: skipped
    page = root / "page.dat"
    page.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")

    found = discover([str(root)])
    assert sorted(Path(d.path).name for d in found.documents) == ["a_report_without_extension", "page.dat"]
    assert {Path(d.path).name: d.form for d in found.documents}["page.dat"] == "html"
    assert found.duplicates == 1 and found.skipped == {"hidden": 1, "binary": 1}

    # list files: @FILE and .lst always; .txt when every line is an existing path
    other = tmp_path / "other.txt"
    other.write_bytes(SEEDS[2].read_bytes())
    listing = tmp_path / "list.txt"
    listing.write_text("# my collection\nother.txt\n\nc/sub\n", encoding="utf-8")
    assert is_list_file(listing) and not is_list_file(SEEDS[0])
    assert not is_list_file(other)
    names = sorted(Path(d.path).name for d in discover([str(listing)]).documents)
    assert names == ["a_report_without_extension", "other.txt"]
    lst = tmp_path / "files.lst"
    lst.write_text(f"{other}\nmissing.txt\n", encoding="utf-8")
    found = discover([f"@{lst}"])
    assert [Path(d.path).name for d in found.documents] == ["other.txt"]
    assert found.missing == [str(tmp_path / "missing.txt")]
    with pytest.raises(FileNotFoundError):
        discover([str(tmp_path / "nope")])


# ---------------------------------------------------------------- untrusted names


def test_file_names_from_untrusted_input_never_escape_the_output_folder(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    hostile = ["x\\..\\..\\evil.txt", "\\..\\..\\evil2.txt", "..\\hidden.txt", "a\nb.txt",
               "=cmd|' /C calc'!A0.txt", "...txt", "-x.txt", "报告" * 40 + ".txt", "con:prn.txt"]
    for i, name in enumerate(hostile):
        try:
            (inputs / name).write_bytes(variant(SEEDS[i % len(SEEDS)], i))
        except OSError:
            pass  # a name this file system refuses
    before = {p for p in tmp_path.rglob("*")}
    out = tmp_path / "work" / "out"
    summary = run_batch(opts([inputs], out))
    visible = [p for p in inputs.iterdir() if not p.name.startswith(".")]  # ".*" are hidden: skipped
    assert summary.processed == len(visible) > 5

    created = {p for p in tmp_path.rglob("*")} - before
    assert created and all(p == out.parent or out in p.parents or p == out for p in created)
    names = [p.name for p in (out / "json").iterdir()]
    assert len(names) == summary.processed
    for name in names:
        assert "/" not in name and "\\" not in name and "\n" not in name and not name.startswith(".")
        assert len(name.encode()) < 200

    assert safe_stem("../../etc/passwd") == "passwd"
    assert safe_stem("..\\..\\x.txt") == "x"
    assert safe_stem("...") == ""
    assert csv_text("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_text("-3") == "-3" and csv_text("-cmd") == "'-cmd"
    for w in read_csv(out / "reports.csv"):
        assert not w["path"].startswith(("=", "+", "@"))


# ---------------------------------------------------------------- journals, locking, the command


def test_journal_survives_a_torn_line(tmp_path):
    path = tmp_path / "j.jsonl"
    with Journal(path) as j:
        j.append({"document": "a", "n": 1})
    with open(path, "ab") as fh:
        fh.write(b'{"document": "b", "n"')
    assert [r["document"] for _, r in read_records(path)] == ["a"]
    with Journal(path) as j:  # the torn tail is cut before appending
        j.append({"document": "c"})
    assert [r["document"] for _, r in read_records(path)] == ["a", "c"]


def test_one_batch_at_a_time_per_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with locked(out):
        with pytest.raises(BatchBusy):
            run_batch(opts([SEEDS[0]], out))


def test_cli_batch_command(tmp_path):
    from click.testing import CliRunner

    from gxextract.cli import main

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["batch", str(SEEDS[0]), str(SEEDS[3]), "--out", str(out), "-j", "1",
                                       "--quiet"])
    assert result.exit_code == 0, result.output
    assert "2 extracted" in result.output
    assert len(report_lines(out)) == 2
    result = CliRunner().invoke(main, ["batch", str(tmp_path / "nope"), "--out", str(out)])
    assert result.exit_code == 2 and "no such file" in result.output


# ---------------------------------------------------------------- Ray


@pytest.mark.ray
def test_ray_executor_gives_the_same_outputs_as_the_local_pool(tmp_path):
    pytest.importorskip("ray")
    inputs = tmp_path / "in"
    make_corpus(inputs, 6)
    (inputs / "broken.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<")
    local, remote = tmp_path / "local", tmp_path / "ray"
    run_batch(opts([inputs], local))
    summary = run_batch(opts([inputs], remote, executor="ray", workers=2))
    assert (summary.processed, summary.failed) == (7, 1)

    def contents(out):
        return {r["document"]: (r["template"], r["year"], r["agency"], r["fields"]) for r in report_lines(out)}

    assert contents(remote) == contents(local) and len(contents(local)) == 6
    assert [(e["document"], e["code"]) for e in error_lines(remote)] == \
        [(e["document"], e["code"]) for e in error_lines(local)]
    assert (remote / "reports.csv").read_bytes().count(b"\n") == 7


# ---------------------------------------------------------------- hostile inputs and faults


def test_a_name_that_is_not_utf8_neither_kills_the_batch_nor_a_rerun(tmp_path):
    inputs = tmp_path / "in"
    make_corpus(inputs, 2)
    bad = os.fsencode(inputs) + b"/\xff\xfe_bad.txt"
    with open(bad, "wb") as fh:
        fh.write(variant(SEEDS[2], 7))
    with open(os.fsencode(inputs) + b"/\xff\x1b[31m.bin", "wb") as fh:
        fh.write(bytes(range(256)) * 8)  # left out, named in errors.jsonl all the same
    out = tmp_path / "out"
    for _ in range(2):  # the second run reads the journal the first one wrote
        summary = run_batch(opts([inputs], out))
        assert summary.documents == 3
    rows = {r["batch"]["path"]: r["batch"] for r in report_lines(out)}
    name = str(inputs) + "/\\xff\\xfe_bad.txt"
    assert rows[name]["display"] == str(inputs) + "/\ufffd\ufffd_bad.txt"
    assert codecs.escape_decode(name.encode())[0] == bad
    skipped = error_lines(out)[0]
    assert skipped["path"] == str(inputs) + "/\\xff\\x1b[31m.bin" and skipped["reason"] == "binary"
    assert name in {w["path"] for w in read_csv(out / "reports.csv")}


def _make_every_kind_of_entry(inputs: Path, outside: Path) -> dict[str, str]:
    """Files of every kind under ``inputs``; name → the reason it is left out ("" for a document)."""
    make_corpus(inputs, 2)
    (outside / "secret.txt").write_bytes(SEEDS[3].read_bytes())
    (inputs / "zero.txt").write_bytes(b"")
    (inputs / "junk.bin").write_bytes(bytes(range(256)) * 8)
    (inputs / "copy.txt").write_bytes(SEEDS[0].read_bytes())
    os.mkfifo(inputs / "fifo.txt")
    (inputs / "dangling.txt").symlink_to(inputs / "nowhere.txt")
    (inputs / "loop_a").symlink_to(inputs / "loop_b")
    (inputs / "loop_b").symlink_to(inputs / "loop_a")
    (inputs / "secret_link.txt").symlink_to(outside / "secret.txt")
    (inputs / "outside_folder").symlink_to(outside, target_is_directory=True)
    (inputs / "inside_link.txt").symlink_to(inputs / f"000_{SEEDS[0].stem}.txt")
    return {"000_" + SEEDS[0].stem + ".txt": "", "001_" + SEEDS[1].stem + ".txt": "", "zero.txt": "empty",
            "junk.bin": "binary", "copy.txt": "duplicate", "fifo.txt": "not_a_file", "dangling.txt": "dangling_link",
            "loop_a": "link_loop", "loop_b": "link_loop", "secret_link.txt": "outside_link",
            "outside_folder": "outside_link", "inside_link.txt": "duplicate"}


def test_every_input_is_in_reports_or_errors_and_links_out_are_refused(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    inputs, outside = tmp_path / "in", tmp_path / "outside"
    outside.mkdir()
    expected = _make_every_kind_of_entry(inputs, outside)
    out = tmp_path / "out"
    summary = run_batch(opts([inputs], out))

    reported = [Path(r["batch"]["path"]).name for r in report_lines(out)]
    left_out = {Path(e["path"]).name: e["reason"] for e in error_lines(out) if e["code"] == "skipped"}
    assert sorted(reported) == sorted(k for k, v in expected.items() if not v)
    assert left_out == {k: v for k, v in expected.items() if v}
    assert len(reported) + len(left_out) == len(os.listdir(inputs))
    assert all(e["message"] for e in error_lines(out))
    assert summary.duplicates == 2 and summary.skipped["outside_link"] == 2
    assert run_batch(opts([inputs], out)).processed == 0 and len(error_lines(out)) == len(left_out)  # no new lines

    followed = tmp_path / "followed"
    run_batch(opts([inputs], followed, follow_links=True))
    names = {Path(r["batch"]["path"]).name for r in report_lines(followed)}
    assert {"secret_link.txt"} <= names and not {"outside_folder", "secret_link.txt"} & {
        Path(e["path"]).name for e in error_lines(followed)}


def test_an_empty_folder_or_one_with_nothing_readable_is_an_error(tmp_path):
    from click.testing import CliRunner

    from gxextract.cli import main
    from gxextract.errors import NothingFound

    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(NothingFound):
        run_batch(opts([empty], tmp_path / "out1"))
    (empty / "zero.txt").write_bytes(b"")
    result = CliRunner().invoke(main, ["batch", str(empty), "--out", str(tmp_path / "out2"), "-q"])
    assert result.exit_code == 2 and "no document found" in result.output and "empty 1" in result.output
    assert [e["reason"] for e in error_lines(tmp_path / "out2")] == ["empty"]


def test_a_full_disk_is_one_typed_error_and_the_journal_is_never_torn(tmp_path, monkeypatch):
    """ENOSPC half-way through a journal line: OutputFailed, no torn line, and the re-run completes."""
    from gxextract.outputs import journal
    from gxextract.errors import OutputFailed

    inputs = tmp_path / "in"
    make_corpus(inputs, 6)
    out = tmp_path / "out"
    real_write, writes = os.write, []

    def write_until_full(fd, data):
        if not os.readlink(f"/proc/self/fd/{fd}").endswith("reports.jsonl"):
            return real_write(fd, data)
        writes.append(fd)
        if len(writes) < 4:
            return real_write(fd, data)
        if len(writes) == 4:
            return real_write(fd, bytes(data[: len(data) // 2]))  # a short write, then the disk is full
        raise OSError(28, "No space left on device")

    if not os.path.exists("/proc/self/fd"):
        pytest.skip("needs /proc to tell the journal's writes")

    monkeypatch.setattr(journal.os, "write", write_until_full)
    with pytest.raises(OutputFailed) as info:
        run_batch(opts([inputs], out, workers=1))
    assert "No space left on device" in str(info.value) and "\n" not in str(info.value)
    monkeypatch.undo()
    raw = (out / "reports.jsonl").read_bytes()
    assert raw.endswith(b"\n") and all(json.loads(line) for line in raw.splitlines())
    done = len(raw.splitlines())
    assert done == 3
    assert run_batch(opts([inputs], out)).processed == 6 - done
    assert sorted(r["document"] for r in report_lines(out)) == sorted({r["document"] for r in report_lines(out)})


def test_a_read_only_output_folder_is_one_line_and_exit_4(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from gxextract.cli import main

    out = tmp_path / "out"
    out.mkdir()
    real_open = os.open

    def read_only(path, flags, *args, **kwargs):
        if str(path).startswith(str(out)) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise OSError(30, "Read-only file system", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", read_only)
    result = CliRunner().invoke(main, ["batch", str(SEEDS[0]), "--out", str(out), "-q"])
    assert result.exit_code == 4, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error (output_failed):") and "Read-only" in lines[0]


def _stop_after(n: int, monkeypatch) -> None:
    """The next run's executor stops (as Ctrl-C does) after ``n`` documents."""
    from gxextract.batch import run

    make = run.make_executor

    def stopping(o):
        executor = make(o)
        inner = executor.map

        def map_(tasks):
            for k, outcome in enumerate(inner(tasks)):
                if k == n:
                    raise KeyboardInterrupt
                yield outcome

        executor.map = map_
        return executor

    monkeypatch.setattr(run, "make_executor", stopping)


def test_an_interrupted_force_run_resumes_as_force(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    make_corpus(inputs, 6)
    out = tmp_path / "out"
    assert run_batch(opts([inputs], out)).processed == 6
    _stop_after(2, monkeypatch)
    assert run_batch(opts([inputs], out, force=True, workers=1)).interrupted
    monkeypatch.undo()
    resumed = run_batch(opts([inputs], out))  # no --force: it carries on as the --force run
    assert (resumed.already_done, resumed.processed) == (2, 4)
    assert run_batch(opts([inputs], out)).processed == 0  # and it is over
    latest = scan(out)
    assert len(latest.reports) == 6 and latest.report_lines == 6


RAY_HELPERS = '''
import os, signal, time
from gxextract import extract as real

def kill_raylet(path):
    """Kills the Ray worker's parent, its node's raylet, on a marked document."""
    if b"KILL_RAYLET" in open(path, "rb").read():
        os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(0.3)
    return real(path)
'''


@pytest.mark.ray
def test_a_lost_raylet_marks_no_document_and_a_plain_rerun_finishes(tmp_path, monkeypatch):
    pytest.importorskip("ray")
    folder = tmp_path / "helpers"
    folder.mkdir()
    (folder / "gxray.py").write_text(textwrap.dedent(RAY_HELPERS), encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")]))
    inputs = tmp_path / "in"
    make_corpus(inputs, 8)
    (inputs / "000_kill.txt").write_bytes(variant(SEEDS[0], 99) + b"\nKILL_RAYLET\n")
    out = tmp_path / "out"

    summary = run_batch(opts([inputs], out, executor="ray", workers=2, extractor="gxray:kill_raylet"))
    assert summary.lost and "not recorded" in summary.lost
    assert [e for e in error_lines(out) if e["code"] != "skipped"] == []  # nobody blamed
    done = len(report_lines(out))
    assert done < 9
    again = run_batch(opts([inputs], out))  # plain, local: does the rest
    assert (again.already_done, again.processed, again.failed) == (done, 9 - done, 0)
    assert len({r["document"] for r in report_lines(out)}) == 9


def test_an_interrupted_retry_of_failures_resumes_as_a_retry(tmp_path, monkeypatch):
    inputs = tmp_path / "in"
    make_corpus(inputs, 2)
    for k in range(3):
        (inputs / f"notes{k}.txt").write_text(f"会议纪要：本周无事。{k}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_batch(opts([inputs], out)).failed == 3
    _stop_after(1, monkeypatch)
    assert run_batch(opts([inputs], out, retry_failed=True, workers=1)).interrupted
    monkeypatch.undo()
    resumed = run_batch(opts([inputs], out))
    assert (resumed.already_done, resumed.processed) == (3, 2)  # the two failures not retried yet
    assert run_batch(opts([inputs], out)).processed == 0
