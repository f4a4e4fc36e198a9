"""Fuzzing the readers and the aligner: mutated reports must give GxError or no silent error.

    python -m benchmarks.fuzz --cases 5000 --seed 1         # the campaign (a few minutes)
    python -m benchmarks.fuzz --cases 200 --show 5           # a quick look

Every case takes a valid report in one text shape (fixtures/text/*, fixtures/seeds/*, with
their truths; HTML among them), applies 1–6 mutations (``--max-ops``) and extracts it. A **crash** is any exception other
than a `GxError`. A **silent error** is a field that differs from its truth and is not
`needs_review`, beyond what the oracle below allows.

The oracle. Mutations that leave every printed value where it was (drop, duplicate or cut
lines, labels and cells; insert junk lines; break the table across a page; run two lines
together; wrap a label onto a second line; print a block again at the end with other numbers) do not change
the truth: every field must equal its truth or be flagged (a dropped row's fields must be
null and flagged, or flagged otherwise). Mutations that change what is printed under a
label change the truth of the document, and since a report's cells carry no address the
oracle allows exactly that change and nothing more:

- ``digit``: a value token printed ``a`` is now ``b``: one field whose truth is ``a`` may read
  ``b`` unflagged; ``fill_blank``: the same for a blank cell that now prints a number (and a
  dropped value is a blank that a later fill may refill); allowances chain: values linked by
  any change or move form one group, whose budget is the sum of theirs;
- ``swap_tokens`` / ``swap_lines`` / ``swap_cells``: the values printed on the swapped units
  (and, for lines, on the few lines after each, where a cell-per-line report prints a label's
  values) may have changed places: up to that many fields whose truth is one of those values,
  or blank (blank cells move too), may read another of them unflagged. A swapped digit run
  (a web copy's whole row) allows every number a cut of either run gives, for as many fields
  as the runs have digits;
- a line whose cells were both duplicated and dropped (``1 3 0`` → ``1 1 3 0`` → ``1 1 0``)
  is a swap of its own values, allowed the same way; in a stream shape (a cell per line,
  cells ended by `` |``) a row spans lines, so a duplicated value allows the values of the
  lines around it to have changed places (a later drop, junk label or footer in the row
  shifts them).

- ``unit``: an amount printed in the other money unit is the same amount: a money field may read
  its truth in another unit (the truth's unit is ``units`` in the truth file, else the form's),
  but never, unflagged, in another unit than the form's where the form names one (fees in 万元).

The mutations of values printed twice, units and titles are in benchmarks/mutations.py: a row
repeated with other numbers (first or last), a section printed again at the end, another report
after this one, an amount in the other unit, a title with a byte-order mark, in a sentence or
without its year. None changes the truth. For ``append_report`` a `SeveralReports` refusal is a
right answer too; until compilations are told apart, its silent errors are counted on their own.
Year, issuing body and template (`Report.meta`) are held to the truth as fields are, while the
title lines stand as printed (a mutation that cut or moved them changes what the title says).

Every other difference unflagged is a silent error. The allowance is bounded (a value from
the mutated units, at most as many fields as values moved), so a misalignment elsewhere is
still caught. The same machinery drives tests/test_fuzz.py (hypothesis).
"""

from __future__ import annotations

import argparse
import functools
import json
import math
import random
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import mutations

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"

KINDS = ("drop_line", "dup_line", "swap_lines", "drop_token", "dup_token", "swap_tokens", "digit",
         "junk_line", "cut_label", "page_break", "drop_cell", "dup_cell", "swap_cells", "join_lines", "wrap_label",
         "fill_blank", "append_copy", "repeat_row", "append_report", "unit", "meta")

# value tokens: a number in a cell of its own (between separators), or glued after a label (a web copy)
_TOKEN = re.compile(
    r"(?:(?<=^)|(?<=[\s|>\t\u3000\u4e00-\u9fff）)”]))"
    r"(?P<num>[+\-−－]?[0-9０-９][0-9０-９,，.．]*)(?P<unit>万元|元)?"
    r"(?=$|[\s|<\t\u3000])"
)
_CJK_RUN = re.compile(r"(?<![0-9０-９.．])[\u4e00-\u9fff]{2,}|(?<=[0-9０-９])(?!万元)[\u4e00-\u9fff]{2,}")
"""Runs of Chinese characters a label mutation may cut: not a money unit after its number (22.3万元),
whose cut would change the amount printed rather than a label."""
_JUNK_CHARS = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋冬藏闰余成岁律吕调阳云腾致雨露结为霜金丽水玉昆冈剑号巨阙珠称夜光果珍李柰菜芥姜海咸河淡鳞潜羽翔龙师火帝鸟皇"
_PAGE_BREAKS = ["— {n} —", "第 {n} 页 共 9 页", "- {n} -", "{n}/9", "第{n}页"]


@dataclass
class Case:
    """A fixture to mutate: its lines, shape and truth."""

    name: str
    shape: str
    lines: list[str]
    truth: dict

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass
class Oracle:
    """What the mutations allow a field to read, unflagged, besides its truth."""

    changed: list[tuple[float, float]] = field(default_factory=list)
    """(old, new): one field whose truth is ``old`` may read ``new``."""
    moved: list[tuple[list[float], int]] = field(default_factory=list)
    """Groups of values that may have changed places, and how many fields may read one of them
    instead of their truth (a run's group lists every number a cut of it can give)."""
    applied: list[str] = field(default_factory=list)
    title: list[str] | None = None
    """The title lines as they now read: year and body are checked while they stand intact."""
    several: bool = False
    """Another report was appended: SeveralReports is a right answer too."""

    def silent_errors(self, report, truth: dict) -> list[str]:
        wrong = []
        for fid, want in truth["fields"].items():
            got = report.fields.get(fid)
            if got is None:
                wrong.append((fid, want, None, True))
                continue
            if got.needs_review:
                continue
            unit = spec_units().get(fid)
            if unit and got.unit not in (None, unit):
                wrong.append((fid, f"{want} {unit}", f"{got.value} {got.unit}", True))
            elif not _same(got.value, want) and not _same_amount(got, want, truth.get("units", {}).get(fid) or unit):
                wrong.append((fid, want, got.value, False))
        # allowances chain (a digit changed, then the cell swapped elsewhere): values linked by any
        # change or move form one group, whose budget is the sum of theirs
        parent: dict = {}

        def find(v):
            parent.setdefault(v, v)
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        budget: Counter = Counter()
        links = [([a, b], 1) for a, b in self.changed] + [(list(values), n) for values, n in self.moved]
        for values, n in links:
            keys = [_key(v) for v in values]
            if not keys:
                continue
            root = find(keys[0])
            for k in keys[1:]:
                other = find(k)
                if other != root:
                    parent[other] = root
                    budget[root] += budget.pop(other, 0)
            budget[find(root)] += n
        silent = []
        for fid, want, got, absent in wrong:
            if absent:
                silent.append(f"{fid}: absent from the report" if got is None else f"{fid}: truth {want}, read {got}")
                continue
            g = find(_key(got)) if _key(got) in parent else None
            # a blank cell moves too: a field blank in the truth may read a moved value
            if g is not None and budget[g] > 0 and (want is None or (_key(want) in parent and find(_key(want)) == g)):
                budget[g] -= 1
                continue
            silent.append(f"{fid}: truth {want!r}, read {got!r} unflagged")
        return silent


    def meta_errors(self, report, truth: dict, text: str) -> list[str]:
        """Year, issuing body and template read wrong and unflagged, while the title stands as printed."""
        from gxextract.normalize import label_key

        if self.title is not None and "\n".join(["", *self.title, ""]) not in f"\n{text}\n":
            return []
        out = []
        for key in ("year", "agency", "template"):
            got, want = report.meta[key], truth.get(key)
            same = (label_key(str(got.value)) == label_key(str(want))) if key == "agency" else got.value == want
            if want is not None and not same and not got.needs_review:
                out.append(f"meta {key}: truth {want!r}, read {got.value!r} unflagged")
        return out


_YUAN = {"元": 1, "万元": 10000}


@functools.cache
def spec_units() -> dict[str, str | None]:
    """Every money field and the unit the form prints it in (None: the form names none)."""
    from gxextract.templates import templates

    return {f: c.unit for t in templates().values() for form in t.sections for r in form.rows
            for f, c in zip(r.fields, r.columns) if c.money}


def _same_amount(got, want, unit: str | None) -> bool:
    """A money field read in another unit than its truth's, for the same amount (a unit mutated)."""
    if got.value is None or want is None or got.unit not in _YUAN or unit not in _YUAN:
        return False
    return _same(got.value * _YUAN[got.unit], want * _YUAN[unit])


def _key(v):
    return "blank" if v is None else round(float(v), 6)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def _inside(v, group: list[float]) -> bool:
    return v is not None and any(_same(v, g) for g in group)


def _number(text: str) -> float | None:
    import unicodedata

    t = unicodedata.normalize("NFKC", text).replace(",", "").replace("，", "").replace("−", "-")
    t = t.rstrip("元万")
    try:
        v = float(t)
    except ValueError:
        return None
    return int(v) if v.is_integer() else v


def shape_of(name: str) -> str:
    if name.startswith(tuple(f"{s}_" for s in ("lines", "tabs", "pipes", "markdown", "spaces", "runs", "html"))):
        return name.split("_")[0]
    return "seed"


@functools.cache
def load_cases() -> list[Case]:
    cases = []
    for folder in ("text", "seeds"):
        for path in sorted((FIXTURES / folder).iterdir()):
            if not path.is_file():
                continue
            truth = json.loads((FIXTURES / folder / "truth" / f"{path.stem}.json").read_text(encoding="utf-8"))
            if truth.get("slip"):  # a report with its own typo: the slipped cell is already flagged
                pass
            cases.append(Case(path.stem, shape_of(path.stem), path.read_text(encoding="utf-8").splitlines(), truth))
    return cases


def _glued(line: str, m: re.Match) -> bool:
    """A token glued to the label before it: a web copy's run of a whole row's digits."""
    return m.start() > 0 and re.match(r"[\u4e00-\u9fff）)”]", line[m.start() - 1]) is not None


def _run_values(run: str) -> list[float]:
    """Every number a cut of this run could give (what a run's cells may read); an amount's fraction
    ends the last cell (``3196.95``: 196.95 among them)."""
    whole, _, fraction = run.replace("．", ".").partition(".")
    digits = re.sub(r"\D", "", whole + fraction)
    cuts = {int(digits[i:j]) for i in range(len(digits)) for j in range(i + 1, min(len(digits), i + 7) + 1)}
    whole = re.sub(r"\D", "", whole)
    if fraction.isdigit():
        cuts |= {float(f"{whole[i:]}.{fraction}") for i in range(len(whole))}
    return sorted(cuts)


def _group(line_tokens: list[tuple[str, re.Match]]) -> tuple[list[float], int]:
    """The values the tokens print and how many fields they fill (a run: one per digit at most)."""
    values: list[float] = []
    n = 0
    for line, m in line_tokens:
        if _glued(line, m):
            values += _run_values(m["num"]) + [v for v in [_number(m["num"])] if v is not None]
            n += len(m["num"])
        elif (v := _number(m["num"])) is not None:
            values.append(v)
            n += 1
    return values, n


def _tokens(line: str) -> list[re.Match]:
    return [m for m in _TOKEN.finditer(line) if _number(m["num"]) is not None]


def _cells(line: str, shape: str) -> tuple[list[str], str] | None:
    """The line cut into cells with the separator to join them again, where the shape has cells."""
    if "\t" in line:
        return line.split("\t"), "\t"
    if shape == "html" and "<td" in line:
        parts = re.split(r"(?=<td)", line)
        return parts, ""
    if line.rstrip().endswith("|"):
        return line.split("|"), "|"
    if re.search(r"\S {3,}\S", line):
        return re.split(r"(?<=\S)(?= {3,})", line), ""
    return None


def junk_line(rng: random.Random, shape: str) -> str:
    words = ["".join(rng.choice(_JUNK_CHARS) for _ in range(rng.randint(2, 8))) for _ in range(rng.randint(1, 3))]
    nums = [str(rng.choice([0, 1, 2, 3, 5, 8, 13, 40, 99, 120, 2024])) for _ in range(rng.randint(0, 7))]
    cells = words + nums
    if shape == "html":
        return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
    if shape in ("tabs", "seed") and rng.random() < 0.5:
        return "\t".join(cells)
    if shape == "pipes":
        return " |".join(cells) + " |"
    if shape == "markdown":
        return "| " + " | ".join(cells) + " |"
    if shape == "runs":
        return "".join(words) + "".join(nums)
    if shape == "lines":
        return rng.choice(cells)
    return "   ".join(cells)


def page_break(rng: random.Random, shape: str) -> list[str]:
    n = rng.randint(2, 9)
    footer = rng.choice(_PAGE_BREAKS).format(n=n)
    lines = ["", footer, ""] if rng.random() < 0.7 else [footer]
    if shape == "html":
        return [f"</table><p>{footer}</p><table>"] if rng.random() < 0.5 else [f"<tr><td colspan=\"8\">{footer}</td></tr>"]
    return lines


def _stream(line: str, shape: str) -> bool:
    """A line of a shape whose rows run over several lines (a cell per line, cells ended by `` |``)."""
    return shape in ("lines", "pipes", "seed") and "\t" not in line and not line.lstrip().startswith("|")


def _dup_in_stream(lines: list[str], k: int, shape: str, oracle: Oracle) -> None:
    """A value duplicated in a stream: if anything later takes a value out of the same row (a dropped
    cell, a junk label or a page footer inside it), the row prints its values shifted by one. The
    values of the lines around are then allowed to have changed places."""
    if _stream(lines[k], shape):
        around = range(max(0, k - 8), min(len(lines), k + 9))
        group = _group([(lines[n], m) for n in around for m in _tokens(lines[n])])
        if group[1]:
            oracle.moved.append(group)


def _touch(tag: dict, kind: str, line: str, oracle: Oracle) -> None:
    """A line whose tokens were both duplicated and dropped may print other values under its label
    (1 3 0 → 1 1 3 0 → 1 1 0): its values as first printed may then have changed places."""
    what = "dup" if kind.startswith("dup") else "drop" if kind.startswith("drop") else None
    if what is None:
        return
    tag.setdefault("orig", line)
    tag.setdefault("ops", set()).add(what)
    if tag["ops"] == {"dup", "drop"} and not tag.get("allowed"):
        tag["allowed"] = True
        oracle.moved.append(_group([(tag["orig"], m) for m in _tokens(tag["orig"])]))


def mutate(case: Case, ops: list[tuple[str, int, int]], rng: random.Random) -> tuple[str, Oracle]:
    """Apply ``ops`` (kind, a, b: two numbers that pick positions) to the case's lines."""
    lines = list(case.lines)
    tags: list[dict] = [{} for _ in lines]  # per line: what dropped or duplicated its tokens, and its text before
    span = mutations.title_span(lines)
    oracle = Oracle(title=lines[span[0]: span[1]] if span else None)
    for kind, a, b in ops:
        if not lines:
            break
        i, j = a % len(lines), b % len(lines)
        token_lines = [k for k, line in enumerate(lines) if _tokens(line)]
        cell_lines = [k for k, line in enumerate(lines) if _cells(line, case.shape)]
        if kind == "drop_line":
            del lines[i]
            del tags[i]
        elif kind == "dup_line":
            lines.insert(i, lines[i])
            tags.insert(i, dict(tags[i]))
            _dup_in_stream(lines, i, case.shape, oracle)
        elif kind == "swap_lines":
            if i == j:
                continue
            lo, hi = sorted((i, j))
            span = _group([(lines[k], m) for k in list(range(lo, min(lo + 9, len(lines))))
                           + list(range(hi, min(hi + 9, len(lines)))) for m in _tokens(lines[k])])
            lines[i], lines[j] = lines[j], lines[i]
            tags[i], tags[j] = tags[j], tags[i]
            if span[1]:
                oracle.moved.append(span)
        elif kind in ("drop_token", "dup_token", "digit", "swap_tokens"):
            if not token_lines:
                continue
            k = token_lines[a % len(token_lines)]
            line = lines[k]
            toks = _tokens(line)
            t = toks[b % len(toks)]
            _touch(tags[k], kind, line, oracle)
            if kind == "dup_token":
                _dup_in_stream(lines, k, case.shape, oracle)
            if kind == "drop_token":
                lines[k] = line[: t.start()] + line[t.end():]
                oracle.changed += [(v, None) for v in _group([(line, t)])[0][:1]]  # a blank now: fill_blank may refill it
            elif kind == "dup_token":
                sep = "\t" if "\t" in line else (" |" if line.rstrip().endswith("|") else " ")
                if case.shape == "html":
                    sep = "</td><td>"
                lines[k] = line[: t.end()] + sep + t[0] + line[t.end():]
            elif kind == "digit":
                num = t["num"]
                pos = [p for p, ch in enumerate(num) if ch.isdigit()]
                p = pos[(a // 7) % len(pos)]
                new_digit = str((int(num[p]) + 1 + b % 9) % 10) if num[p].isascii() else chr(
                    0xFF10 + (int(num[p]) + 1 + b % 9) % 10)
                new = num[:p] + new_digit + num[p + 1:]
                old_v, new_v = _number(num), _number(new)
                lines[k] = line[: t.start("num")] + new + line[t.end("num"):]
                if _glued(line, t):  # the run's cells may all read differently now
                    oracle.moved.append((_group([(line, t)])[0] + _group([(lines[k], _tokens(lines[k])[b % len(toks)])])[0]
                                         if len(_tokens(lines[k])) == len(toks) else _run_values(num) + _run_values(new),
                                         len(num)))
                elif new_v is not None and old_v is not None:
                    oracle.changed.append((old_v, new_v))
            else:  # swap two tokens, anywhere in the document
                k2 = token_lines[b % len(token_lines)]
                toks2 = _tokens(lines[k2])
                t2 = toks2[a % len(toks2)]
                if k == k2 and t.start() == t2.start():
                    continue
                v1, v2 = _number(t["num"]), _number(t2["num"])
                if k == k2:
                    first, second = sorted((t, t2), key=lambda m: m.start())
                    lines[k] = (line[: first.start()] + second[0] + line[first.end(): second.start()] + first[0]
                                + line[second.end():])
                else:
                    lines[k] = line[: t.start()] + t2[0] + line[t.end():]
                    lines[k2] = lines[k2][: t2.start()] + t[0] + lines[k2][t2.end():]
                if _glued(line, t) or _glued(lines[k2] if k != k2 else line, t2):
                    oracle.moved.append(_group([(line, t), (lines[k2] if k != k2 else line, t2)]))
                else:
                    group = [v for v in (v1, v2) if v is not None]
                    oracle.moved.append((group, len(group)))
        elif kind in ("drop_cell", "dup_cell", "swap_cells"):
            if not cell_lines:
                continue
            k = cell_lines[a % len(cell_lines)]
            cells, sep = _cells(lines[k], case.shape)  # type: ignore[misc]
            c = b % len(cells)
            _touch(tags[k], kind, lines[k], oracle)
            if kind == "dup_cell":
                _dup_in_stream(lines, k, case.shape, oracle)
            if kind == "drop_cell":
                oracle.changed += [(v, None) for m in _tokens(cells[c]) for v in [_number(m["num"])] if v is not None]
                del cells[c]
            elif kind == "dup_cell":
                cells.insert(c, cells[c])
            else:
                d = (c + 1 + a % max(1, len(cells) - 1)) % len(cells)
                if c == d:
                    continue
                moved = _group([(x, m) for x in (cells[c], cells[d]) for m in _tokens(x)])
                cells[c], cells[d] = cells[d], cells[c]
                if moved[1]:
                    oracle.moved.append(moved)
            lines[k] = sep.join(cells)
        elif kind == "append_copy":
            # a block of the report printed again at its end with other numbers: last year's section left
            # at the end, a second report pasted after the first; the report's own values stay its truth
            section = mutations.section_block(lines, b) if a % 2 else None
            block = [mutations.shifted(line, 3) for line in (section or lines[i: i + 3 + b % 30])]
            lines += block
            tags += [{} for _ in block]
        elif kind == "repeat_row":
            found = mutations.repeat_row(lines, a, b, _tokens)
            if found is None:
                continue
            at, copy = found
            lines[at:at] = copy
            tags[at:at] = [{} for _ in copy]
        elif kind == "append_report":
            others = [c for c in load_cases() if c.shape == case.shape and c.name != case.name]
            other = others[a % len(others)].lines
            lines += other
            tags += [{} for _ in other]
            oracle.several = True
        elif kind == "unit":
            printed = mutations.rescale(lines, a, b, _tokens)
            if printed is None:
                continue
            oracle.moved.append((list(printed), 0))  # linked, no field allowed: the same amount
        elif kind == "meta":
            span = mutations.title_span(lines)
            if span is None:
                continue
            mutations.retitle(lines, span, b % 3)
            oracle.title = lines[span[0]: span[1]]
        elif kind == "junk_line":
            lines.insert(i, junk_line(rng, case.shape))
            tags.insert(i, {})
        elif kind == "cut_label":
            runs = [(k, m) for k, line in enumerate(lines) for m in _CJK_RUN.finditer(line)]
            if not runs:
                continue
            k, m = runs[a % len(runs)]
            n = 1 + b % min(4, len(m[0]) - 1)
            at_start = (a // 3) % 2 == 0
            start, end = (m.start(), m.start() + n) if at_start else (m.end() - n, m.end())
            lines[k] = lines[k][:start] + lines[k][end:]
        elif kind == "join_lines":  # two lines run together (a PDF line merge), with a space between
            if i + 1 >= len(lines) or case.shape == "html":
                continue
            lines[i] = lines[i].rstrip() + " " + lines[i + 1].lstrip()
            tags[i] = {**tags[i + 1], **tags[i]}
            del lines[i + 1]
            del tags[i + 1]
        elif kind == "wrap_label":  # a label broken onto the next line inside its cell or its line
            runs = [(k, m) for k, line in enumerate(lines) for m in _CJK_RUN.finditer(line) if len(m[0]) >= 4]
            if not runs:
                continue
            k, m = runs[a % len(runs)]
            cut = m.start() + 1 + b % (len(m[0]) - 1)
            line = lines[k]
            if case.shape == "html":
                lines[k] = line[:cut] + "<br>\n" + line[cut:]
            elif case.shape in ("lines", "seed") and "\t" not in line and not line.rstrip().endswith("|"):
                lines[k:k + 1] = [line[:cut], line[cut:]]
                tags[k:k + 1] = [tags[k], {}]
            else:
                continue
        elif kind == "fill_blank":  # a number printed in an empty cell: that field's truth is now the number
            blanks = [(k, m) for k, line in enumerate(lines) for m in re.finditer(r"(?<=\t)(?=\t|$)|(?<=<td>)(?=</td>)", line)]
            if not blanks:
                continue
            k, m = blanks[a % len(blanks)]
            value = b % 50
            lines[k] = lines[k][: m.start()] + str(value) + lines[k][m.start():]
            oracle.changed.append((None, value))
        elif kind == "page_break":
            inserted = page_break(rng, case.shape)
            lines[i:i] = inserted
            tags[i:i] = [{} for _ in inserted]
        oracle.applied.append(f"{kind}@{i},{j}")
    return "\n".join(lines) + "\n", oracle


@dataclass
class Outcome:
    kind: str  # "report", "gxerror", "crash", "silent"
    detail: str = ""


def run_case(case: Case, ops: list[tuple[str, int, int]], seed: int) -> tuple[Outcome, str, Oracle]:
    from gxextract import GxError, extract

    rng = random.Random(seed)
    text, oracle = mutate(case, ops, rng)
    try:
        report = extract(text.encode("utf-8"))
    except GxError as exc:
        several = oracle.several and type(exc).__name__ == "SeveralReports"
        return Outcome("several" if several else "gxerror", f"{exc.code}: {str(exc)[:120]}"), text, oracle
    except Exception:  # noqa: BLE001 - a crash is what is counted
        return Outcome("crash", traceback.format_exc(limit=-3)), text, oracle
    silent = oracle.silent_errors(report, case.truth) + oracle.meta_errors(report, case.truth, text)
    if silent:
        # until compilations are told apart (SeveralReports), two reports in one file are counted on their own
        return Outcome("silent_several" if oracle.several else "silent", "; ".join(silent[:4])), text, oracle
    return Outcome("report"), text, oracle


def random_ops(rng: random.Random, max_ops: int = 6) -> list[tuple[str, int, int]]:
    return [(rng.choice(KINDS), rng.randrange(1 << 16), rng.randrange(1 << 16)) for _ in range(rng.randint(1, max_ops))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Fuzz the readers and the aligner with mutated reports.")
    ap.add_argument("--cases", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--max-ops", type=int, default=6, help="mutations per case: 1 to this many")
    ap.add_argument("--show", type=int, default=3, help="examples to print of each failure kind")
    ap.add_argument("--only", type=int, help="replay only this case number of the campaign and print it")
    ap.add_argument("--save", type=Path, help="write every failing case (text, ops, detail) to this folder")
    args = ap.parse_args(argv)

    cases = load_cases()
    rng = random.Random(args.seed)
    counts: Counter[str] = Counter()
    by_kind: dict[str, list[str]] = {"crash": [], "silent": [], "silent_several": []}
    per_op: Counter[str] = Counter()
    start = time.monotonic()
    for n in range(args.cases):
        case = rng.choice(cases)
        ops = random_ops(rng, args.max_ops)
        case_seed = rng.randrange(1 << 30)
        if args.only is not None and n != args.only:
            continue
        outcome, text, oracle = run_case(case, ops, case_seed)
        if args.only is not None:
            import difflib

            print(f"case {n} {case.name} ops={ops} applied={oracle.applied}\n{outcome.kind}: {outcome.detail}")
            print("\n".join(difflib.unified_diff(case.lines, text.splitlines(), lineterm="", n=1)))
            return 0
        counts[outcome.kind] += 1
        if outcome.kind in by_kind:
            for op in {o[0] for o in ops}:
                per_op[f"{outcome.kind}:{op}"] += 1
            by_kind[outcome.kind].append(f"case {n} {case.name} ops={oracle.applied}\n    {outcome.detail}")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{outcome.kind}_{n:05d}_{case.name}.txt").write_text(
                    f"# {oracle.applied}\n# {outcome.detail}\n" + text, encoding="utf-8")
        if (n + 1) % 500 == 0:
            print(f"  {n + 1} cases, {time.monotonic() - start:.0f} s: {dict(counts)}", file=sys.stderr, flush=True)
    print(f"cases run: {args.cases} (seed {args.seed}, {time.monotonic() - start:.0f} s)")
    print(f"reports: {counts['report']}, typed errors (GxError): {counts['gxerror']}")
    print(f"crashes: {counts['crash']}")
    print(f"silent errors: {counts['silent']}")
    print(f"two reports in one file (append_report): SeveralReports raised {counts['several']}, "
          f"silent errors {counts['silent_several']} (counted apart until compilations are told apart)")
    for kind, examples in by_kind.items():
        if examples:
            ops = {k.split(':')[1]: v for k, v in per_op.items() if k.startswith(kind)}
            print(f"\n{kind} examples ({len(examples)}; cases by mutation: {ops}):")
            for ex in examples[: args.show]:
                print("  " + ex)
    return 1 if counts["crash"] or counts["silent"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
