"""The credit-code validator (GB 32100-2015 / GB 11714), with no database.

Expected values are worked out by hand in the comments (the weighted sums are shown) and compared
with the implementation, never taken from it. Character values in the 31-symbol set
``0123456789ABCDEFGHJKLMNPQRTUWXY`` are their index: A=10 B=11 C=12 D=13 E=14 F=15 G=16 H=17 J=18
K=19 L=20 M=21 N=22 P=23 Q=24 R=25 T=26 U=27 W=28 X=29 Y=30. In a 组织机构代码 (GB 11714) letters
count A=10 … Z=35 instead (so M=22, Y=34 there).
"""

from __future__ import annotations

import random

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from sme.organizations import uscc

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # written out again: the test must not trust the module's copy

# Standard examples (GB 32100-2015 / standards.md §2).
VALID_BEIJING = "91110000600037341L"
VALID_FUZHOU = "91350100M000100Y43"
BAD_CHECK_FUZHOU = "91350100M000100Y44"

# Worked by hand below.
# 组织机构代码 body A0000010, weights 3 7 9 10 5 8 4 2:
#   A(10)·3 + 0·7 + 0·9 + 0·10 + 0·5 + 0·8 + 1·4 + 0·2 = 30 + 4 = 34; 34 mod 11 = 1; 11 − 1 = 10 → "X".
# Whole code 9 1 5 0 0 1 0 3 A 0 0 0 0 0 1 0 X with weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28:
#   9·1 + 1·3 + 5·9 + 1·26 + 3·17 + A(10)·20 + 1·10 + X(29)·28 = 9+3+45+26+51+200+10+812 = 1156;
#   1156 mod 31 = 9 (31·37 = 1147); (31 − 9) mod 31 = 22 → "N".
VALID_ORG_CHECK_X = "91500103A0000010XN"
# Same, with 17th character 0 instead of X and the 18th recomputed for that wrong 17th character:
#   1156 − 812 + 0 = 344; 344 mod 31 = 3 (31·11 = 341); 31 − 3 = 28 → "W". Only the 17th is wrong.
WRONG_17TH_EXPECTING_X = "91500103A00000100W"
# 组织机构代码 body 10000004: 1·3 + 4·2 = 11; 11 mod 11 = 0; 11 − 0 = 11 → "0".
# Whole code 9 1 5 0 0 1 0 3 1 0 0 0 0 0 0 4 0:
#   9 + 3 + 45 + 26 + 51 + 1·20 + 4·30 + 0·28 = 274; 274 mod 31 = 26 (31·8 = 248); 31 − 26 = 5 → "5".
VALID_ORG_CHECK_0 = "915001031000000405"


def errors_text(code: str) -> str:
    return "\n".join(uscc.check(code).errors)


# --- constants and check characters, computed by hand ------------------------------------------


def test_charset_is_31_symbols_without_i_o_z_s_v():
    assert uscc.CHARSET == CHARSET
    assert len(CHARSET) == 31
    assert not set("IOZSV") & set(uscc.CHARSET)


def test_weights_are_powers_of_three_mod_31():
    # 3^0..3^16 mod 31: 1, 3, 9, 27, 81−62=19, 57−31=26, 78−62=16, 48−31=17, 51−31=20, 60−31=29,
    # 87−62=25, 75−62=13, 39−31=8, 24, 72−62=10, 30, 90−62=28.
    assert uscc.WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def test_org_weights():
    assert uscc.ORG_WEIGHTS == [3, 7, 9, 10, 5, 8, 4, 2]


def test_org_check_of_standard_example_60003734_is_1():
    # 6·3 + 0·7 + 0·9 + 0·10 + 3·5 + 7·8 + 3·4 + 4·2 = 18 + 15 + 56 + 12 + 8 = 109;
    # 109 mod 11 = 10 (11·9 = 99); 11 − 10 = 1 → "1" (the 17th character of 91110000600037341L).
    assert uscc.org_check_character("60003734") == "1"


def test_org_check_of_standard_example_m000100y_is_4():
    # GB 11714 letter values: M = 22, Y = 34.
    # 22·3 + 0·7 + 0·9 + 0·10 + 1·5 + 0·8 + 0·4 + 34·2 = 66 + 5 + 68 = 139;
    # 139 mod 11 = 7 (11·12 = 132); 11 − 7 = 4 → "4".
    assert uscc.org_check_character("M000100Y") == "4"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # 6·2 = 12; 12 mod 11 = 1; 11 − 1 = 10 → X
        ("00000006", "X"),
        # A(10)·3 + 1·4 = 34; 34 mod 11 = 1; 11 − 1 = 10 → X
        ("A0000010", "X"),
        # sum 0; 0 mod 11 = 0; 11 − 0 = 11 → 0
        ("00000000", "0"),
        # 1·3 + 4·2 = 11; 11 mod 11 = 0; 11 − 0 = 11 → 0
        ("10000004", "0"),
        # B(11)·3 = 33; 33 mod 11 = 0 → 0
        ("B0000000", "0"),
        # 1·3+2·7+3·9+4·10+5·5+6·8+7·4+8·2 = 3+14+27+40+25+48+28+16 = 201; 201 mod 11 = 3; 11 − 3 = 8
        ("12345678", "8"),
    ],
)
def test_org_check_character_by_hand(body, expected):
    assert uscc.org_check_character(body) == expected


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        # 9·1 + 1·3 + 1·9 + 1·27 + 6·20 + 3·8 + 7·24 + 3·10 + 4·30 + 1·28
        #   = 9+3+9+27+120+24+168+30+120+28 = 538; 538 mod 31 = 11 (31·17 = 527); 31 − 11 = 20 → L
        ("91110000600037341", "L"),
        # 9·1 + 1·3 + 3·9 + 5·27 + 1·26 + M(21)·20 + 1·8 + Y(30)·30 + 4·28
        #   = 9+3+27+135+26+420+8+900+112 = 1640; 1640 mod 31 = 28 (31·52 = 1612); 31 − 28 = 3 → 3
        ("91350100M000100Y4", "3"),
        ("91500103A0000010X", "N"),  # 1156 → N, see module top
        ("91500103100000040", "5"),  # 274 → 5, see module top
        # all zeros: sum 0; (31 − 0) mod 31 = 0 → "0" (not the out-of-range index 31)
        ("00000000000000000", "0"),
    ],
)
def test_check_character_by_hand(first17, expected):
    assert uscc.check_character(first17) == expected


# --- valid codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [VALID_BEIJING, VALID_FUZHOU, VALID_ORG_CHECK_X, VALID_ORG_CHECK_0])
def test_known_valid_codes_pass(code):
    result = uscc.check(code)
    assert result.valid, result.errors
    assert result.errors == []
    assert result.position is None
    assert result.code == code


def test_parts_of_standard_example():
    result = uscc.check(VALID_FUZHOU)
    assert result.parts["department"] == {"code": "9", "name": "工商"}
    assert result.parts["category"] == {"code": "1", "name": "企业"}
    assert result.parts["region"]["code"] == "350100"
    assert result.parts["organization_code"] == "M000100Y-4"
    assert result.parts["check_character"] == "3"


def test_as_dict_shape():
    d = uscc.check(VALID_BEIJING).as_dict()
    assert d["code"] == VALID_BEIJING
    assert d["valid"] is True
    assert d["errors"] == []
    assert d["parts"]["organization_code"] == "60003734-1"


# --- wrong check characters ----------------------------------------------------------------------


def test_standard_invalid_example_names_position_18_and_expected_3():
    result = uscc.check(BAD_CHECK_FUZHOU)
    assert not result.valid
    assert len(result.errors) == 1
    msg = result.errors[0]
    assert "第18位" in msg
    assert "应为 3" in msg
    assert "而不是 4" in msg
    assert result.position == 18


def test_wrong_17th_where_expected_is_x():
    result = uscc.check(WRONG_17TH_EXPECTING_X)
    assert not result.valid
    assert len(result.errors) == 1, result.errors  # the 18th is right for these 17 characters
    msg = result.errors[0]
    assert "第17位" in msg
    assert "应为 X" in msg
    assert "而不是 0" in msg
    assert result.position == 17


def test_wrong_17th_and_18th_reports_both_and_points_at_17():
    # The valid code with X replaced by 0 but the 18th still N: the 18th should now be W.
    result = uscc.check("91500103A00000100N")
    assert not result.valid
    text = "\n".join(result.errors)
    assert "第17位" in text and "应为 X" in text
    assert "第18位" in text and "应为 W" in text
    assert result.position == 17


def test_wrong_17th_where_expected_is_0():
    # Body 10000004 needs 0 (see module top); put 5 there and fix the 18th for it:
    # 274 + 5·28 = 414; 414 mod 31 = 11 (31·13 = 403); 31 − 11 = 20 → L.
    result = uscc.check(VALID_ORG_CHECK_0[:16] + "5L")
    assert [e for e in result.errors if "第17位" in e and "应为 0" in e and "而不是 5" in e]
    assert not [e for e in result.errors if "第18位" in e]


def test_wrong_18th_reports_expected_character():
    result = uscc.check(VALID_BEIJING[:17] + "M")
    assert not result.valid
    assert len(result.errors) == 1
    assert "第18位" in result.errors[0]
    assert "应为 L" in result.errors[0]
    assert "而不是 M" in result.errors[0]
    assert result.position == 18


# --- input errors and normalisation --------------------------------------------------------------


def test_empty_input():
    for raw in ("", "   ", "\t\n", None):
        result = uscc.check(raw)
        assert not result.valid
        assert result.errors == ["请输入统一社会信用代码。"]
        assert result.parts == {}


@pytest.mark.parametrize("n", [1, 17, 19, 30])
def test_wrong_length_says_18_and_how_many(n):
    raw = ("91110000600037341L" * 2)[:n]
    result = uscc.check(raw)
    assert not result.valid
    assert any("18位" in e and f"您输入了{n}位" in e for e in result.errors), result.errors


def test_length_counted_after_stripping():
    result = uscc.check("  9111000060003734  ")
    assert any("您输入了16位" in e for e in result.errors), result.errors


@pytest.mark.parametrize("letter", list("IOZSV"))
@pytest.mark.parametrize("position", [1, 10, 18])
def test_excluded_letters_are_named_with_position(letter, position):
    code = VALID_BEIJING[: position - 1] + letter + VALID_BEIJING[position:]
    result = uscc.check(code)
    assert not result.valid
    # 第N位是「L」：统一社会信用代码不使用字母 I、O、Z、S、V。 (the specific message, not the generic one)
    matching = [e for e in result.errors if f"第{position}位是「{letter}」" in e and "不使用字母" in e]
    assert matching, result.errors
    assert result.position == position


@pytest.mark.parametrize("letter", list("iozsv"))
def test_excluded_letters_in_lower_case_are_rejected_too(letter):
    code = VALID_BEIJING[:12] + letter + VALID_BEIJING[13:]
    result = uscc.check(code)
    assert not result.valid
    assert any("第13位" in e and letter.upper() in e for e in result.errors)


def test_excluded_letter_in_region_part_also_gives_region_message():
    result = uscc.check("9111O000600037341L")  # letter O at position 5
    assert not result.valid
    assert any("第5位" in e and "O" in e for e in result.errors)
    assert any("第3–8位" in e and "第5位" in e for e in result.errors)
    assert result.position == 5
    assert "region" not in result.parts


@pytest.mark.parametrize("position", [3, 4, 5, 6, 7, 8])
def test_non_digit_in_region_part(position):
    # "A" is in the character set, so the only objection is that positions 3–8 must be digits.
    code = VALID_BEIJING[: position - 1] + "A" + VALID_BEIJING[position:]
    result = uscc.check(code)
    assert not result.valid
    assert len(result.errors) == 1, result.errors
    assert "第3–8位" in result.errors[0]
    assert f"第{position}位不是" in result.errors[0]
    assert result.position == position
    assert "region" not in result.parts


def test_other_disallowed_character_named():
    result = uscc.check(VALID_BEIJING[:9] + "#" + VALID_BEIJING[10:])
    assert not result.valid
    assert any("第10位" in e and "「#」" in e for e in result.errors)
    assert result.position == 10


def test_whitespace_padded_input_is_valid():
    result = uscc.check(" \t91110000600037341L \n")
    assert result.valid, result.errors
    assert result.code == VALID_BEIJING


def test_inner_space_is_not_ignored():
    result = uscc.check("9111 0000600037341L")
    assert not result.valid


def test_lower_case_is_read_as_upper_case():
    result = uscc.check("91350100m000100y43")
    assert result.valid, result.errors
    assert result.code == VALID_FUZHOU
    assert result.parts["organization_code"] == "M000100Y-4"


def test_full_width_characters_are_normalised():
    full = "".join(chr(ord(c) + 0xFEE0) for c in VALID_BEIJING)
    assert full.startswith("９１１１")
    result = uscc.check(full)
    assert result.valid, result.errors
    assert result.code == VALID_BEIJING


def test_full_width_lower_case_and_ideographic_space():
    # Full-width "ｌ" (U+FF4C) and the ideographic space U+3000 around it.
    result = uscc.check("\u3000９１１１００００６０００３７３４１ｌ\u3000")
    assert result.valid, result.errors
    assert result.code == VALID_BEIJING


# --- departments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("department", ["B", "Q", "R"])
def test_unknown_department_is_accepted_when_checks_are_right(department):
    code = uscc.make("500103", department=department, rng=random.Random(7))
    assert code[0] == department
    result = uscc.check(code)
    assert result.valid, result.errors
    assert result.parts["department"]["code"] == department
    assert "未收录" in result.parts["department"]["name"]
    assert "未收录" in result.parts["category"]["name"]


@pytest.mark.parametrize(
    ("department", "category", "dept_name", "cat_name"),
    [
        ("1", "1", "机构编制", "机关"),
        ("5", "3", "民政", "基金会"),
        ("9", "2", "工商", "个体工商户"),
        ("9", "3", "工商", "农民专业合作社"),
        ("N", "2", "农业", "村级集体经济组织"),
        ("Y", "1", "其他", "其他"),
    ],
)
def test_known_departments_are_named(department, category, dept_name, cat_name):
    code = uscc.make("500103", department=department, category=category, rng=random.Random(1))
    result = uscc.check(code)
    assert result.valid, result.errors
    assert result.parts["department"] == {"code": department, "name": dept_name}
    assert result.parts["category"] == {"code": category, "name": cat_name}


def test_unknown_category_of_known_department():
    code = uscc.make("500103", department="9", category="7", rng=random.Random(3))
    result = uscc.check(code)
    assert result.valid, result.errors
    assert result.parts["department"]["name"] == "工商"
    assert "未收录" in result.parts["category"]["name"]


def test_make_is_deterministic_for_a_seeded_rng():
    assert uscc.make("500103", rng=random.Random(42)) == uscc.make("500103", rng=random.Random(42))


# --- properties ----------------------------------------------------------------------------------

region_codes = st.from_regex(r"\A[0-9]{6}\Z")
charset_chars = st.sampled_from(CHARSET)


def reference_valid(code: str) -> bool:
    """An independent statement of the rules, for comparison with :func:`uscc.check`."""
    if len(code) != 18 or any(c not in CHARSET for c in code):
        return False
    if not all(c in "0123456789" for c in code[2:8]):
        return False
    org_total = sum(
        (int(c) if c in "0123456789" else ord(c) - ord("A") + 10) * w
        for c, w in zip(code[8:16], [3, 7, 9, 10, 5, 8, 4, 2], strict=True)
    )
    org_expected = {10: "X", 11: "0"}.get(11 - org_total % 11, str(11 - org_total % 11))
    total = sum(CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(code[:17]))
    return code[16] == org_expected and code[17] == CHARSET[(31 - total % 31) % 31]


@given(region=region_codes, department=charset_chars, category=charset_chars, seed=st.integers())
@settings(max_examples=300)
def test_every_made_code_is_valid(region, department, category, seed):
    code = uscc.make(region, department=department, category=category, rng=random.Random(seed))
    assert len(code) == 18
    assert code[:8] == department + category + region
    assert reference_valid(code)
    result = uscc.check(code)
    assert result.valid, (code, result.errors)
    assert result.parts["region"]["code"] == region


@given(
    region=region_codes,
    department=charset_chars,
    seed=st.integers(),
    position=st.integers(min_value=0, max_value=17),
    replacement=charset_chars,
)
@settings(max_examples=500)
def test_any_single_substitution_within_charset_is_caught(region, department, seed, position, replacement):
    code = uscc.make(region, department=department, rng=random.Random(seed))
    assume(code[position] != replacement)
    changed = code[:position] + replacement + code[position + 1 :]
    result = uscc.check(changed)
    assert not result.valid, changed
    assert result.errors


@given(
    seed=st.integers(),
    position=st.integers(min_value=0, max_value=17),
    replacement=st.characters(exclude_categories=["Cs"]),
)
@example(seed=0, position=0, replacement="I")
@example(seed=0, position=17, replacement="ı")  # dotless i: upper-cases to an excluded I
@example(seed=0, position=9, replacement="ß")  # upper-cases to "SS"
@example(seed=0, position=4, replacement="٣")  # Arabic-Indic three: isdigit() but not 0–9
@settings(max_examples=500)
def test_any_single_substitution_outside_charset_is_caught(seed, position, replacement):
    code = uscc.make("500103", rng=random.Random(seed))
    changed = code[:position] + replacement + code[position + 1 :]
    # Lower-case or full-width forms of the same character are the same code, by design.
    assume(uscc.normalize(changed) != code)
    result = uscc.check(changed)
    assert not result.valid, changed


@given(raw=st.text())
@settings(max_examples=500)
def test_check_never_raises_on_any_text(raw):
    result = uscc.check(raw)
    assert isinstance(result.errors, list)
    assert all(isinstance(e, str) and e for e in result.errors)
    assert result.valid == (not result.errors)
    assert result.as_dict()["valid"] == result.valid
    if result.valid:
        assert result.position is None
        assert len(result.code) == 18


near_codes = st.text(alphabet=CHARSET + "IOZSValy# ９Ｌ\u3000٣", min_size=14, max_size=20)


@given(raw=near_codes)
@example(raw=VALID_BEIJING)
@example(raw=VALID_ORG_CHECK_X)
@settings(max_examples=500)
def test_check_agrees_with_reference_rules(raw):
    result = uscc.check(raw)
    assert result.valid == reference_valid(uscc.normalize(raw))
    assert result.valid == (not result.errors)
    if result.position is not None:
        assert 1 <= result.position <= 18


@given(raw=near_codes)
@settings(max_examples=300)
def test_position_points_into_the_code(raw):
    result = uscc.check(raw)
    if result.position is not None:
        assert result.position <= len(result.code)
