"""等保 2.0 三级 password complexity: characters from at least three of four classes."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() and c.isascii() for c in password),
        any(c.isupper() and c.isascii() for c in password),
        any(c.isdigit() and c.isascii() for c in password),
        any(not c.isalnum() or not c.isascii() for c in password if c not in string.whitespace),
    ]
    return sum(classes)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。") % {"n": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、特殊符号中的至少%(n)d类。") % {"n": self.min_classes}


class MinimumLengthChineseValidator(MinimumLengthValidator):
    """Django's check with a message of our own: Django 5.2's zh_Hans catalogue lacks the new wording."""

    def get_error_message(self) -> str:
        return _("密码太短，至少需要%(n)d个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少需要%(n)d个字符。") % {"n": self.min_length}


# A run of this many digits of the account's own mobile number in a password is refused: it is what
# someone who knows the person tries first.
MOBILE_RUN = 7


class MobileNumberValidator:
    """Refuses a password holding the account's mobile number, or 7 consecutive digits of it."""

    def validate(self, password: str, user: Any = None) -> None:
        mobile = "".join(ch for ch in str(getattr(user, "mobile", "") or "") if ch.isdigit())
        if len(mobile) < MOBILE_RUN:
            return
        digits = "".join(ch if ch.isdigit() else " " for ch in password)
        runs = {mobile[i : i + MOBILE_RUN] for i in range(len(mobile) - MOBILE_RUN + 1)}
        if any(run in digits for run in runs):
            raise ValidationError(
                _("密码不能包含您的手机号码或其中连续%(n)d位数字。") % {"n": MOBILE_RUN},
                code="password_has_mobile",
            )

    def get_help_text(self) -> str:
        return _("密码不能包含您的手机号码或其中连续%(n)d位数字。") % {"n": MOBILE_RUN}
