"""A report as data: to_dict, and to_pandas in the columns of a batch's fields.parquet (with the
column label)."""

from __future__ import annotations

import json
import sys

import pytest

from gxextract import MissingDependency, extract
from gxextract.batch import BatchOptions, run_batch
from gxextract.longform import COLUMNS

from .conftest import FIXTURES

SEED = FIXTURES / "seeds" / "003_6934debf565e0270.txt"


def test_to_dict_is_the_json_output():
    report = extract(SEED)
    assert report.to_dict() == json.loads(report.model_dump_json())


def test_to_pandas_has_the_rows_of_fields_parquet(tmp_path):
    pd = pytest.importorskip("pandas")
    report = extract(SEED)
    mine = report.to_pandas()
    assert list(mine.columns) == COLUMNS and len(mine) == len(report.fields)
    run_batch(BatchOptions(inputs=[str(SEED)], out=tmp_path / "out", workers=1, quiet=True))
    batch = pd.read_parquet(tmp_path / "out" / "fields.parquet")
    assert list(batch.columns) == COLUMNS
    mine = mine.drop(columns="path").set_index("field")
    batch = batch.drop(columns="path").set_index("field")
    pd.testing.assert_frame_equal(mine, batch.loc[mine.index], check_dtype=False)
    regulations = mine.loc[[f"active.regulations.{c}" for c in ("issued", "repealed", "in_force")]]
    assert list(regulations["label"].unique()) == ["规章"]
    assert list(regulations["column"]) == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert mine.loc["requests.withheld.third_party.business", "column"] == "法人或其他组织 / 商业企业"


def test_to_pandas_without_pandas_says_what_to_install(monkeypatch):
    report = extract(SEED)
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if it were not installed
    with pytest.raises(MissingDependency, match="pip install pandas"):
        report.to_pandas()
