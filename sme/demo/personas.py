"""The demo personas: one per role, the same people the tests and the README speak of."""

from dataclasses import dataclass

DEMO_PASSWORD = "Demo-2026!"


@dataclass(frozen=True)
class Persona:
    username: str
    real_name: str
    role: str
    description: str
    mobile: str
    jurisdiction_code: str = ""


PERSONAS = [
    Persona(
        "qiye_yuzhong", "陈静", "enterprise", "企业负责人（渝中区，重庆渝中智联科技有限公司）", "13800000001"
    ),
    Persona(
        "fuwu_wanzhou",
        "李强",
        "provider",
        "服务机构负责人（万州区，重庆三峡云服信息技术有限公司）",
        "13800000002",
    ),
    Persona(
        "quxian_wanzhou",
        "王敏",
        "district_officer",
        "区县主管部门（万州区经济和信息化委员会）",
        "13800000003",
        "500101",
    ),
    Persona(
        "shiji_guanli",
        "赵磊",
        "city_officer",
        "市级主管部门（重庆市中小企业主管部门）",
        "13800000004",
        "500000",
    ),
    Persona("zhuanjia_li", "刘洋", "expert", "评审专家（信息化咨询）", "13800000005"),
    Persona("admin", "平台管理员", "admin", "平台管理员（用户、审计日志、后台）", "13800000006"),
]
