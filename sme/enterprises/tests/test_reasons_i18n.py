"""Size-class reasons are stored as facts (the sentence and its values) and read in the reader's
language through gettext with parameters; the sentences the data carries in the language the data
gives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from conftest import login
from sme.core import messages
from sme.enterprises.classification import Classifier
from sme.enterprises.loader import snapshots_from_files
from sme.enterprises.models import EnterpriseProfile
from sme.enterprises.reasons import render_reasons
from sme.enterprises.size_class import SizeInputError, classify
from sme.enterprises.tests.factories import EnterpriseProfileFactory

RULES = snapshots_from_files()[0]

# A stand-in English catalogue for the ids the reasons use (the real one is the lead's to fill).
ENGLISH = {
    "行业代码 %(code)s（%(name)s）属于第%(number)s组“%(group)s”，按%(indicators)s划型。": (
        "Industry code %(code)s (%(name)s) is in group %(number)s “%(group)s”, classified by %(indicators)s."
    ),
    "%(first)s和%(second)s": "%(first)s and %(second)s",
    "%(first)s，%(second)s": "%(first)s, %(second)s",
    "从业人员": "employees",
    "营业收入": "revenue",
    "未达到大型：%(missed)s。": "Not large: %(missed)s.",
    "未达到中型：%(missed)s。": "Not medium: %(missed)s.",
    "达到小型的全部下限：%(met)s。": "Meets every lower bound of small: %(met)s.",
    "从业人员 %(value)s 人，低于 %(bound)s 人": "%(value)s employees, below %(bound)s",
    "营业收入 %(value)s 万元，低于 %(bound)s 万元": "revenue 10k CNY %(value)s, below %(bound)s",
    "从业人员 %(value)s 人 ≥ %(bound)s 人": "%(value)s employees ≥ %(bound)s",
    "营业收入 %(value)s 万元 ≥ %(bound)s 万元": "revenue 10k CNY %(value)s ≥ %(bound)s",
}


@pytest.fixture
def english(monkeypatch):
    monkeypatch.setattr(messages, "gettext", lambda text: ENGLISH.get(text, text))
    with translation.override("en"):
        yield


def test_a_stored_classification_keeps_facts_not_text():
    result = Classifier(RULES).classify("C3411", 2024, 50, Decimal(1500), None)
    assert result.reasons == [
        ["group", "3411", "锅炉及辅助设备制造", 2, "工业", ["employees", "revenue"]],
        ["below", "large", [["employees", "50", "1000"], ["revenue", "1500", "40000"]]],
        ["below", "medium", [["employees", "50", "300"], ["revenue", "1500", "2000"]]],
        ["reached", "small", [["employees", "50", "20"], ["revenue", "1500", "300"]]],
    ]


def test_an_english_reader_reads_the_reasons_in_english(english):
    stored = Classifier(RULES).classify("C3411", 2024, 50, Decimal(1500), None).reasons
    assert render_reasons(stored) == [
        "Industry code 3411 (锅炉及辅助设备制造) is in group 2 “工业”, classified by employees and revenue.",
        "Not large: 50 employees, below 1000, revenue 10k CNY 1500, below 40000.",
        "Not medium: 50 employees, below 300, revenue 10k CNY 1500, below 2000.",
        "Meets every lower bound of small: 50 employees ≥ 20, revenue 10k CNY 1500 ≥ 300.",
    ]
    assert classify("C3411", 50, Decimal(1500), None, standard=RULES).reasons == render_reasons(stored)


def test_the_datas_own_sentences_read_in_the_language_the_data_gives():
    finance = Classifier(RULES).classify("J", 2024, 50, Decimal(1500), None).reasons
    other = Classifier(RULES).classify("P", 2024, 50, Decimal(1500), None).reasons
    assert "银发〔2015〕309号" in render_reasons(finance)[0]
    with translation.override("en"):
        assert render_reasons(finance)[0].startswith("Finance is classified by the 金融业企业划型标准规定")
        assert render_reasons(other)[0].startswith("Industry code P (教育) is not among the industries")
        assert classify("J", 50, None, None, standard=RULES).reasons == render_reasons(finance)


def test_problems_are_messages_too(english):
    with pytest.raises(SizeInputError) as exc:
        classify("C", 50, None, None, standard=RULES)
    assert exc.value.messages[0].text.startswith("缺少%(name)s（%(unit)s）")
    stored = Classifier(RULES).classify("C", 2024, 50, None, None).reasons
    assert stored[1]["m"].startswith("缺少%(name)s")


@pytest.mark.django_db
def test_the_enterprise_page_shows_stored_reasons_in_the_readers_language(
    client, own_enterprise, enterprise_owner, english
):
    EnterpriseProfileFactory(organization=own_enterprise)
    result = Classifier(RULES).classify("C3411", 2024, 50, Decimal(1500), None)
    EnterpriseProfile.objects.filter(organization=own_enterprise).update(**result.as_fields())
    login(client, enterprise_owner)
    page = client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
    assert "Not large: 50 employees, below 1000" in page


@pytest.mark.django_db
def test_reasons_stored_as_text_before_still_show(client, own_enterprise, enterprise_owner):
    EnterpriseProfileFactory(organization=own_enterprise, size_reasons=["旧的划型依据文字。"])
    login(client, enterprise_owner)
    assert "旧的划型依据文字。" in client.get(f"/enterprises/{own_enterprise.pk}/").content.decode()
