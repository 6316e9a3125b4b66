from __future__ import annotations

import json

import pytest

from renkei.imports.mappings import BUILTINS, Mapping, MappingError, get_mapping, recognize
from renkei.imports.models import SavedMapping
from tests.imports.helpers import EIGHT_HEADER, EXHIBITION_HEADER, SANSAN_HEADER

X_EDUCATION_HEADER = [
    "Prospect ID", "Lead Number", "Lead Origin", "Lead Source", "Do Not Email", "Converted",
    "TotalVisits", "Specialization",
]  # fmt: skip


@pytest.mark.parametrize(
    ("header", "name"),
    [
        (EIGHT_HEADER, "eight"),
        (SANSAN_HEADER, "sansan"),
        (EXHIBITION_HEADER, "exhibition"),
        (X_EDUCATION_HEADER, "x-education"),
    ],
)
def test_known_headers_are_recognised(header, name):
    found = recognize(header)
    assert found is not None
    assert found.name == name


def test_unknown_headers_are_not_recognised():
    assert recognize(["name", "mail", "company"]) is None


def test_x_education_row_maps_select_to_blank_and_keeps_the_rest_as_data():
    row = dict.fromkeys(X_EDUCATION_HEADER, "")
    row |= {
        "Prospect ID": "7927b2df",
        "Lead Number": "660737",
        "Lead Source": "Olark Chat",
        "Do Not Email": "Yes",
        "Converted": "1",
        "TotalVisits": "5",
        "Specialization": "Select",
    }
    targets, attributes = BUILTINS["x-education"].apply(row)
    assert targets["family_name"] == "Lead 660737"
    assert targets["external_id"] == "7927b2df"
    assert targets["source_channel"] == "website"
    assert targets["consent_status"] == "opted_out"
    assert attributes["Converted"] == 1
    assert attributes["TotalVisits"] == 5
    assert attributes["Lead Source"] == "Olark Chat"
    assert attributes["Do Not Email"] is True
    assert "Specialization" not in attributes


def test_unknown_lead_source_falls_back_to_other():
    targets, _ = BUILTINS["x-education"].apply(
        {"Prospect ID": "p", "Lead Number": "1", "Lead Source": "Carrier pigeon"}
    )
    assert targets["source_channel"] == "other"


def test_eight_maps_card_columns_and_keeps_tags():
    row = dict.fromkeys(EIGHT_HEADER, "")
    row |= {"会社名": "株式会社テスト", "姓": "山田", "名": "太郎", "TEL部門": "03-1111-2222",
            "携帯電話": "090-1234-5678", "展示会2026": "1"}  # fmt: skip
    targets, attributes = BUILTINS["eight"].apply(row)
    assert targets["company"] == "株式会社テスト"
    assert targets["phone"] == "03-1111-2222"
    assert targets["mobile"] == "090-1234-5678"
    assert targets["source_channel"] == "business_card"
    assert attributes == {"展示会2026": 1}


def test_mapping_from_json_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(
        json.dumps({"name": "mine", "columns": {"Mail": "email", "Name": "full_name"}}),
        encoding="utf-8",
    )
    mapping = get_mapping(str(path))
    assert mapping.name == "mine"
    assert mapping.apply({"Mail": "a@b.jp", "Name": "山田 太郎"})[0]["email"] == "a@b.jp"


def test_mapping_with_unknown_target_is_refused(tmp_path):
    with pytest.raises(MappingError, match="unknown field"):
        Mapping.from_dict({"name": "bad", "columns": {"Mail": "nonsense"}})


@pytest.mark.django_db
def test_unknown_mapping_name_lists_the_builtins():
    with pytest.raises(MappingError, match="eight"):
        get_mapping("nope")


@pytest.mark.django_db
def test_saved_mapping_is_found_by_name():
    SavedMapping.objects.create(name="展示会2026", definition={"columns": {"Mail": "email"}})
    assert get_mapping("展示会2026").columns == {"Mail": "email"}


def test_builtins_round_trip_through_json():
    for mapping in BUILTINS.values():
        again = Mapping.from_dict(json.loads(json.dumps(mapping.to_dict())))
        assert again.columns == mapping.columns
