"""The predictive score evaluated on lead lists with known outcomes."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from renkei.scoring import datasets
from renkei.scoring.evaluation import evaluate

X_EDUCATION = Path(__file__).resolve().parents[3] / "shared/datasets/x-education/Leads.csv"
LEAKY = ["Tags", "Lead Quality", "Lead Profile", "Asymmetrique", "Last Notable Activity"]


def run(*args: str, capsys) -> dict:
    call_command("score", "evaluate", *args, "--json")
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_x_education_reaches_the_figures_without_the_leaky_columns(capsys):
    result = run("--dataset", str(X_EDUCATION), "--mapping", "x-education", capsys=capsys)
    assert result["rows"] == 9240
    assert result["positives"] == 3561
    assert result["roc_auc"] >= 0.90
    assert result["ece"] <= 0.03
    assert result["lift_top_decile"] > 2
    assert not [f for f in result["features"] if any(k.lower() in f.lower() for k in LEAKY)]
    assert {"Prospect ID", "Lead Number", "Converted"}.isdisjoint(result["features"])
    assert result["time_ordered"]["roc_auc"] > 0.85
    # Each example names the attributes that moved its score, in the file's own words.
    top = result["examples"][0]
    assert top["factors"] and all(f["feature"] in result["features"] for f in top["factors"])


def synthetic_list(path: Path, rows: int = 600, *, encoding: str = "utf-8") -> Path:
    """A lead list where referrals and long visits convert; 業種 and 問い合わせ番号 are noise."""
    rng = random.Random(7)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["問い合わせ番号", "流入元", "閲覧時間", "業種", "資料請求", "受注"])
        for n in range(rows):
            source = rng.choice(["紹介", "広告", "展示会", "検索"])
            minutes = rng.randint(0, 60)
            chance = 0.05 + (0.55 if source == "紹介" else 0) + minutes / 200
            writer.writerow(
                [f"Q{n:05d}", source, minutes, rng.choice(["製造", "小売", "-"]),
                 rng.choice(["はい", "いいえ"]), "受注" if rng.random() < chance else "失注"]
            )  # fmt: skip
    return path


def mapping_file(path: Path, **overrides) -> Path:
    data = {
        "name": "inquiries",
        "outcome": "受注",
        "positive": ["受注"],
        "ignore": ["問い合わせ番号"],
        "blank_values": ["-"],
        **overrides,
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_any_lead_list_is_evaluated_through_a_mapping_file(tmp_path, capsys):
    data = synthetic_list(tmp_path / "inquiries.csv", encoding="cp932")
    result = run(
        "--dataset", str(data), "--mapping", str(mapping_file(tmp_path / "m.json")), capsys=capsys
    )
    assert result["rows"] == 600
    assert result["features"] == ["流入元", "閲覧時間", "業種", "資料請求"]
    assert result["feature_types"] == {
        "流入元": "category", "閲覧時間": "number", "業種": "category", "資料請求": "flag",
    }  # fmt: skip
    assert result["roc_auc"] > 0.68  # chance would be 0.5
    assert "time_ordered" not in result  # no order column named


def test_an_explanation_names_what_raises_and_lowers_a_lead(tmp_path):
    data = synthetic_list(tmp_path / "inquiries.csv", rows=1500)
    dataset = datasets.load(data, datasets.get_mapping(str(mapping_file(tmp_path / "m.json"))))
    result = evaluate(dataset)
    top, bottom = result["examples"][0], result["examples"][-1]
    assert {"feature": "流入元", "value": "紹介"} in [
        {"feature": f["feature"], "value": f["value"]} for f in top["factors"] if f["effect"] > 0
    ]
    assert any(f["effect"] < 0 for f in bottom["factors"])


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"outcome": "成約"}, "no column 成約"),
        ({"positive": []}, "positive"),
        ({"types": {"閲覧時間": "date"}}, "Unknown column types: date"),
        ({"weights": 1}, "Unknown keys in the scoring mapping: weights"),
        (
            {"ignore": ["問い合わせ番号", "流入元", "閲覧時間", "業種", "資料請求"]},
            "no column to learn",
        ),
        ({"positive": ["該当なし"]}, "same outcome"),
    ],
)
def test_bad_mappings_and_lists_get_a_clear_error(tmp_path, overrides, message):
    data = synthetic_list(tmp_path / "inquiries.csv", rows=50)
    mapping = mapping_file(tmp_path / "m.json", **overrides)
    with pytest.raises(CommandError, match=message):
        call_command("score", "evaluate", "--dataset", str(data), "--mapping", str(mapping))


def test_unknown_mapping_and_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="No scoring mapping nope"):
        call_command("score", "evaluate", "--dataset", str(X_EDUCATION), "--mapping", "nope")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("score", "evaluate", "--dataset", str(empty), "--mapping", "x-education")
