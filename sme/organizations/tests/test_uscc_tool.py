"""The public credit-code tool: ``GET /api/v1/tools/uscc/{code}`` and the page ``/tools/uscc/?code=``.

Region names come from the division data that ``migrate`` loads, so they exist in the test database.
"""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest
from django.conf import settings

from sme.organizations import uscc
from sme.regions.selectors import name_for_code

pytestmark = pytest.mark.django_db

API = "/api/v1/tools/uscc/"
PAGE = "/tools/uscc/"

# Standard example with a wrong 18th character (should be 3), see test_uscc.py.
BAD_CHECK = "91350100M000100Y44"
# 500103 渝中区, organization code A0000010-X (worked by hand in test_uscc.py).
YUZHONG_X = "91500103A0000010XN"


def api(client, code: str, **extra):
    response = client.get(API + code, **extra)
    assert response.status_code == 200, (code, response.status_code)
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "valid", "errors", "parts", "error_position"}
    assert body["valid"] == (not body["errors"])
    return body


@pytest.fixture(autouse=True)
def fresh_region_name_cache():
    # name_for_code is an lru_cache that outlives each test's database transaction.
    name_for_code.cache_clear()
    yield
    name_for_code.cache_clear()


@pytest.fixture
def yuzhong_code() -> str:
    return uscc.make("500103", rng=random.Random(20240501))


# --- API: valid codes ----------------------------------------------------------------------------


def test_api_valid_yuzhong_code(client, yuzhong_code):
    body = api(client, yuzhong_code)
    assert body["code"] == yuzhong_code
    assert body["valid"] is True
    assert body["errors"] == []
    assert body["error_position"] is None
    parts = body["parts"]
    assert parts["department"] == {"code": "9", "name": "工商"}
    assert parts["category"] == {"code": "1", "name": "企业"}
    assert parts["region"] == {"code": "500103", "name": "渝中区"}
    assert parts["organization_code"] == f"{yuzhong_code[8:16]}-{yuzhong_code[16]}"
    assert len(parts["organization_code"]) == 10 and parts["organization_code"][8] == "-"
    assert parts["check_character"] == yuzhong_code[17]


def test_api_returns_the_documented_example(client):
    # The OpenAPI example in tool_views. By hand: body AY4CL12T (GB 11714 values A=10 Y=34 C=12 L=21 T=29)
    #   10·3 + 34·7 + 4·9 + 12·10 + 21·5 + 1·8 + 2·4 + 29·2 = 30+238+36+120+105+8+8+58 = 603;
    #   603 mod 11 = 9; 11 − 9 = 2 → 17th "2". Whole code (charset values A=10 Y=30 C=12 L=20 T=26):
    #   9·1+1·3+5·9+0·27+0·19+1·26+0·16+3·17+10·20+30·29+4·25+12·13+20·8+1·24+2·10+26·30+2·28
    #   = 9+3+45+26+51+200+870+100+156+160+24+20+780+56 = 2500; 2500 mod 31 = 20; 31 − 20 = 11 → "B".
    assert api(client, "91500103AY4CL12T2B") == {
        "code": "91500103AY4CL12T2B",
        "valid": True,
        "errors": [],
        "parts": {
            "department": {"code": "9", "name": "工商"},
            "category": {"code": "1", "name": "企业"},
            "region": {"code": "500103", "name": "渝中区"},
            "organization_code": "AY4CL12T-2",
            "check_character": "B",
        },
        "error_position": None,
    }


def test_api_hand_computed_code_with_org_check_x(client):
    body = api(client, YUZHONG_X)
    assert body["valid"] is True
    assert body["parts"]["organization_code"] == "A0000010-X"
    assert body["parts"]["region"] == {"code": "500103", "name": "渝中区"}


def test_api_lower_case_same_as_upper_case(client, yuzhong_code):
    upper = api(client, yuzhong_code)
    lower = api(client, yuzhong_code.lower())
    assert lower == upper
    assert api(client, YUZHONG_X.lower()) == api(client, YUZHONG_X)


def test_api_full_width_input(client):
    full = "".join(chr(ord(c) + 0xFEE0) for c in YUZHONG_X)
    body = api(client, quote(full))
    assert body["valid"] is True
    assert body["code"] == YUZHONG_X


def test_api_padded_with_spaces(client, yuzhong_code):
    body = api(client, "%20%20" + yuzhong_code + "%20")
    assert body["valid"] is True
    assert body["code"] == yuzhong_code


def test_api_withdrawn_division_is_named_as_withdrawn(client):
    code = uscc.make("500222", rng=random.Random(5))
    body = api(client, code)
    assert body["valid"] is True
    name = body["parts"]["region"]["name"]
    assert "綦江县" in name
    assert "已撤销" in name


def test_api_current_district_reusing_a_code_is_not_called_withdrawn(client):
    # 500110 was 万盛区 until 2011 and is 綦江区 since: the current holder is named.
    body = api(client, uscc.make("500110", rng=random.Random(6)))
    name = body["parts"]["region"]["name"]
    assert name and "已撤销" not in name and "万盛" not in name


def test_api_other_province_names_the_province(client):
    code = uscc.make("110105", rng=random.Random(8))
    body = api(client, code)
    assert body["valid"] is True
    assert body["parts"]["region"]["code"] == "110105"
    assert "北京市" in body["parts"]["region"]["name"]


def test_api_standard_beijing_example(client):
    body = api(client, "91110000600037341L")
    assert body["valid"] is True
    assert body["parts"]["region"] == {"code": "110000", "name": "北京市"}
    assert body["parts"]["organization_code"] == "60003734-1"


def test_api_unknown_region_has_null_name(client):
    body = api(client, uscc.make("990101", rng=random.Random(9)))
    assert body["valid"] is True
    assert body["parts"]["region"] == {"code": "990101", "name": None}


def test_api_unknown_department_is_valid(client):
    code = uscc.make("500103", department="B", rng=random.Random(10))
    body = api(client, code)
    assert body["valid"] is True
    assert body["parts"]["department"]["code"] == "B"
    assert "未收录" in body["parts"]["department"]["name"]


# --- API: invalid codes --------------------------------------------------------------------------


def test_api_wrong_check_character(client):
    body = api(client, BAD_CHECK)
    assert body["valid"] is False
    assert len(body["errors"]) == 1
    assert "第18位" in body["errors"][0] and "应为 3" in body["errors"][0]
    assert body["error_position"] == 18
    # The parts that could be read are still there.
    assert body["parts"]["organization_code"] == "M000100Y-4"
    assert body["parts"]["region"]["code"] == "350100"


def test_api_wrong_17th_expecting_x(client):
    body = api(client, "91500103A00000100W")
    assert body["valid"] is False
    assert body["error_position"] == 17
    assert any("第17位" in e and "应为 X" in e for e in body["errors"])


def test_api_excluded_letter(client):
    body = api(client, "91500103A0000O10XN")
    assert body["valid"] is False
    assert body["error_position"] == 14
    assert any("第14位" in e and "O" in e for e in body["errors"])


def test_api_wrong_length(client):
    body = api(client, "9150010")
    assert body["valid"] is False
    assert any("18位" in e and "7位" in e for e in body["errors"])


# --- API: odd input never 404/500 ----------------------------------------------------------------


def test_api_empty(client):
    body = api(client, "")
    assert body["valid"] is False
    assert body["code"] == ""
    assert body["errors"] == ["请输入统一社会信用代码。"]
    assert body["parts"] == {}
    assert body["error_position"] is None


def test_api_only_spaces(client):
    body = api(client, "%20%20%20")
    assert body["valid"] is False
    assert body["errors"] == ["请输入统一社会信用代码。"]


@pytest.mark.parametrize(
    "path_code",
    [
        "A" * 5000,
        "9" * 100_000,
        quote("统一社会信用代码"),
        quote("９１５００１０３"),
        "..%2F",
        "..%2F..%2F..%2Fetc%2Fpasswd",
        "../../etc/passwd",
        "9150/0103A0000010XN",
        "91500103A0000010XN/",
        "9150%200103%20A0000010XN",
        "%25",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%27%20OR%201%3D1--",
        "%F0%9F%98%80",  # emoji
        "%FF%FE",  # not UTF-8
        "%C3",  # truncated UTF-8
        "%E2%80%8B91110000600037341L",  # zero-width space
        "%09",
        quote("91110000600037341L\u3000"),
        ";",
        "?",  # the query string separator: the path code is empty
        "#",
    ],
)
def test_api_weird_input_is_answered_200(client, path_code):
    body = api(client, path_code)
    assert isinstance(body["errors"], list)


def test_api_slash_inside_reports_the_whole_text(client):
    body = api(client, "9150/0103A0000010XN")
    assert body["code"] == "9150/0103A0000010XN"
    assert body["valid"] is False
    assert any("第5位" in e and "/" in e for e in body["errors"])


def test_api_long_input_reports_length(client):
    body = api(client, "9" * 300)
    assert body["valid"] is False
    assert any("您输入了300位" in e for e in body["errors"])


def test_api_chinese_input_is_explained(client):
    body = api(client, quote("统一社会信用代码"))
    assert body["code"] == "统一社会信用代码"
    assert body["valid"] is False
    assert any("第1位" in e and "统" in e for e in body["errors"])


@pytest.mark.parametrize(
    ("path_code", "valid"),
    [("%0A", False), ("9111%0A0000600037341L", False), ("91110000600037341L%0A", True), ("%0D%0A", False)],
)
def test_api_newline_in_path_is_answered_200(client, path_code, valid):
    # A program reading codes line by line may send the trailing newline: it is blank space, not a 404.
    assert api(client, path_code)["valid"] is valid


def test_api_without_trailing_slash_is_not_an_error(client):
    response = client.get("/api/v1/tools/uscc", follow=True)
    assert response.status_code == 200
    assert response.json()["valid"] is False


# --- API: anonymous, no session ------------------------------------------------------------------


def test_api_needs_no_authentication_and_sets_no_cookie(client, yuzhong_code):
    response = client.get(API + yuzhong_code)
    assert response.status_code == 200
    assert response.wsgi_request.user.is_anonymous
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert settings.CSRF_COOKIE_NAME not in response.cookies
    assert not response.cookies
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_api_ignores_bad_credentials(client, yuzhong_code):
    # Authentication is switched off for the tool, so a stale or wrong token does not produce a 401.
    body = api(client, yuzhong_code, HTTP_AUTHORIZATION="Token not-a-real-token")
    assert body["valid"] is True


def test_api_answers_get_only(client, yuzhong_code):
    assert client.post(API + yuzhong_code).status_code == 405


# --- the page ------------------------------------------------------------------------------------


def test_page_without_code_shows_the_form_only(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'name="code"' in html
    assert 'data-testid="uscc-result"' not in html


def test_page_invalid_code_shows_the_reason_in_chinese(client):
    response = client.get(PAGE, {"code": BAD_CHECK})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'data-valid="false"' in html
    assert 'data-testid="uscc-errors"' in html
    assert "第18位（校验码）应为 3，而不是 4。" in html
    # The wrong character is highlighted.
    assert 'class="uscc-char-bad"' in html


def test_page_excluded_letter_message_in_html(client):
    response = client.get(PAGE, {"code": "9111O000600037341L"})
    html = response.content.decode()
    assert "第5位是「O」" in html
    assert "第3–8位是登记管理机关的行政区划码" in html


def test_page_valid_code_shows_the_parts(client, yuzhong_code):
    response = client.get(PAGE, {"code": yuzhong_code})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-valid="true"' in html
    assert "代码有效" in html
    assert "9 · 工商" in html
    assert "1 · 企业" in html
    assert "500103 · 渝中区" in html
    assert f"{yuzhong_code[8:16]}-{yuzhong_code[16]}" in html
    assert 'class="uscc-char-bad"' not in html
    assert 'data-testid="uscc-errors"' not in html


def test_page_escapes_input(client):
    response = client.get(PAGE, {"code": "<script>alert(1)</script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;" in html


def test_page_htmx_request_returns_partial_only(client, yuzhong_code):
    response = client.get(PAGE, {"code": BAD_CHECK}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert "<form" not in html
    assert 'data-testid="uscc-result"' in html
    assert "应为 3" in html

    response = client.get(PAGE, {"code": yuzhong_code}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "渝中区" in html


def test_page_htmx_request_with_empty_code_is_empty(client):
    response = client.get(PAGE, {"code": "  "}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


@pytest.mark.parametrize("code", ["9" * 5000, "统一社会信用代码", "../..", "%00"])
def test_page_odd_input_is_200(client, code):
    assert client.get(PAGE, {"code": code}).status_code == 200
