"""Password policy (等保 2.0 三级): at least 8 characters from at least 3 of 4 classes.

The classes are ASCII lower case, ASCII upper case, digits and "special". What the validator
does with characters outside ASCII (stated here, checked below):

* A Chinese character (or any other non-ASCII letter, e.g. full-width or accented) counts as the
  *special* class, never as a letter: ``qwxz7352中`` has lower + digit + special = 3 classes.
* Whitespace counts as nothing.
* A non-ASCII digit (full-width ``１``) counts as special only.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from sme.accounts.models import User
from sme.accounts.password_validation import CharacterClassValidator, character_classes

pytestmark = pytest.mark.django_db


def codes(password: str, user: User | None = None) -> list[str | None]:
    """The error codes the configured validators give, [] when the password is accepted."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return [e.code for e in exc.error_list]
    return []


def messages(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return exc.messages
    return []


# --- length --------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["Ab1!", "Qw-7352", "中A1-xyz"])
def test_fewer_than_8_characters_is_refused(password):
    assert len(password) < 8
    assert "password_too_short" in codes(password)


def test_exactly_8_characters_with_3_classes_is_accepted():
    assert codes("Qwxz735k") == []


def test_too_short_message_is_chinese():
    (message,) = messages("Ab1!xyz")
    assert "8" in message
    assert "too short" not in message


# --- character classes ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "qwxzmnbvkl",  # lower only
        "qwxzmnbv12",  # lower + digit
        "QWXZMNBV12",  # upper + digit
        "qwxzMNBVKL",  # lower + upper
        "qwxz-mnbv!",  # lower + special
        "7352-8461!",  # digit + special
        "qwxz mnbv 12",  # whitespace is not a class: lower + digit
    ],
)
def test_two_classes_or_fewer_are_refused_with_a_chinese_message(password):
    assert character_classes(password) <= 2
    assert codes(password) == ["password_too_simple"]
    (message,) = messages(password)
    assert "至少3类" in message
    assert "大写字母、小写字母、数字、特殊符号" in message


@pytest.mark.parametrize(
    ("password", "classes"),
    [
        ("Qwxz7352k", 3),  # upper + lower + digit
        ("qwxz-7352k", 3),  # lower + digit + special
        ("QWXZ-MNBVk", 3),  # upper + lower + special
        ("QWXZ_7352", 3),  # upper + digit + special
        ("Qwxz-7352k", 4),
        ("Q@x9" * 4, 4),
    ],
)
def test_three_or_four_classes_are_accepted(password, classes):
    assert character_classes(password) == classes
    assert codes(password) == []


def test_chinese_characters_count_as_the_special_class():
    assert character_classes("中") == 1
    assert character_classes("qwxzmnbv") == 1
    assert character_classes("qwxzmnbv中文") == 2  # lower + special, NOT a letter class
    assert codes("qwxzmnbv中文") == ["password_too_simple"]
    assert character_classes("qwxz7352中") == 3  # lower + digit + special
    assert codes("qwxz7352中") == []


def test_non_ascii_letters_never_count_as_upper_or_lower_case():
    # Full-width and accented capitals are "special", so they add no upper-case class of their own.
    assert character_classes("ＡＢＣＤ") == 1
    assert character_classes("ÉÀÜ") == 1
    assert character_classes("qwxz7352ＡＢ") == 3  # lower + digit + special
    assert character_classes("qwxz7352AB") == 3  # lower + digit + upper


def test_whitespace_is_not_special():
    assert character_classes("   ") == 0
    assert character_classes("\t\n\u3000") == 1  # U+3000 ideographic space is not in string.whitespace


def test_full_width_digit_counts_as_one_class():
    assert character_classes("qwxzmnbv１") == 2


# --- the validator's options and the other configured validators ---------------------------------


def test_validator_honours_min_classes():
    CharacterClassValidator(min_classes=2).validate("qwxzmnbv12")
    with pytest.raises(ValidationError) as exc:
        CharacterClassValidator(min_classes=4).validate("Qwxz7352k")
    assert exc.value.code == "password_too_simple"
    assert "至少4类" in exc.value.messages[0]
    assert "至少4类" in CharacterClassValidator(min_classes=4).get_help_text()


def test_min_classes_comes_from_settings(settings):
    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "sme.accounts.password_validation.CharacterClassValidator", "OPTIONS": {"min_classes": 4}},
    ]
    assert codes("Qwxz7352k") == ["password_too_simple"]
    assert "至少4类" in messages("Qwxz7352k")[0]
    assert codes("Qwxz-7352k") == []


def test_common_password_is_refused_even_with_3_classes():
    assert character_classes("Qwerty123") == 3
    assert codes("Qwerty123") == ["password_too_common"]


def test_password_like_the_username_is_refused():
    user = User(username="chenjingwei", real_name="陈静")
    assert "password_too_similar" in codes("Chenjingwei-1", user)
    assert codes("Qwxz-7352k", user) == []


def test_registration_page_explains_the_policy(client):
    html = client.get("/accounts/register/").content.decode()
    assert "至少8位" in html
    assert "至少3类" in html


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("13712345678Aa", True),  # the whole number (the penetration test's case)
        ("Aa#1234567x", True),  # 7 consecutive digits of it
        ("Xy!37123456", True),  # another run of 7
        ("Aa#123456x", False),  # only 6: a run this short is no tell
        ("Zq#5864029k", False),
    ],
)
def test_a_password_holding_the_accounts_mobile_number_is_refused(password, refused):
    user = User(username="zhang_san", mobile="13712345678")
    assert ("password_has_mobile" in codes(password, user)) is refused


def test_registration_refuses_a_password_made_of_the_mobile_number(client, wanzhou):
    from sme.accounts.tests.test_registration import REGISTER, form_data

    data = form_data(wanzhou)
    data["password1"] = data["password2"] = f"{data['mobile']}Aa"
    response = client.post(REGISTER, data)
    assert response.status_code in (200, 400)
    assert "手机号码" in response.content.decode()
    assert not User.objects.filter(username=data["username"]).exists()
