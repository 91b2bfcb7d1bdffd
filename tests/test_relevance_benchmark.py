"""The relevance benchmark (benchmarks/relevance.py) on the first 20 XQuAD questions: its report and its figures."""

from __future__ import annotations

import re

import pytest

from benchmarks.corpus import run_alone
from benchmarks.relevance import ENGINES, XQUAD, main, measure_relevance, mrr, success, to_markdown, xquad_dir
from tests.conftest import require_path

QUESTIONS = 20
# A measured row of the report's table: engine, data, MRR@10, Success@1, Success@10, questions.
ROW = re.compile(r"^\| (presse|textbook Whoosh \(measured here\)) \| XQuAD de \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| "
                 r"(\d+) \|$", re.MULTILINE)


def require_xquad(path=XQUAD):
    return require_path(path, "XQuAD German")


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    return measure_relevance(require_xquad(), tmp_path_factory.mktemp("relevance"), questions=QUESTIONS)


def test_every_engine_ranks_every_question(result):
    assert len(result.questions) == QUESTIONS
    assert result.passages == 240
    assert set(result.runs) == set(ENGINES)
    for name, run in result.runs.items():
        assert len(run.ranks) == QUESTIONS, name
        assert all(rank is None or 1 <= rank <= 10 for rank in run.ranks), (name, run.ranks)
        assert 0 <= mrr(run.ranks) <= 1, name
        assert success(run.ranks, 1) <= success(run.ranks, 10), name
    presse = result.runs["presse"]
    assert presse.relaxed | presse.truncated | presse.errors <= set(range(QUESTIONS))


def test_report_has_both_engines_the_anchors_and_the_counts(result):
    report = to_markdown(result)
    rows = ROW.findall(report)
    assert [row[0] for row in rows] == ["presse", "textbook Whoosh (measured here)"], report
    for engine, mrr10, success1, success10, questions in rows:
        assert 0 <= float(mrr10) <= 1, engine
        assert float(success1) <= float(success10) <= 1, engine
        assert int(questions) == QUESTIONS, engine
    assert report.count("(published) |") == 3, report
    assert "| bge-m3 (best dense model) (published) | GermanQuAD test | 0.9456 | 0.9170 | 0.9887 | |" in report
    assert "MRR@10 ≥ 0.95" in report
    for count in ("- relaxed to OR: ", "- cut to the first 16 words: ", "- QueryError (counted as misses): "):
        assert count in report, report


def test_missing_data_skips_the_benchmark(tmp_path, capsys):
    assert run_alone(main, lambda: xquad_dir(tmp_path / "xquad_de")) == 0
    assert "skipped: XQuAD German not found at" in capsys.readouterr().err


def test_missing_data_skips_or_fails_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("PRESSE_REQUIRE_SHARED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="XQuAD German not found"):
        require_xquad(tmp_path / "xquad_de")
    monkeypatch.setenv("PRESSE_REQUIRE_SHARED", "1")
    with pytest.raises(pytest.fail.Exception, match="PRESSE_REQUIRE_SHARED=1"):
        require_xquad(tmp_path / "xquad_de")
