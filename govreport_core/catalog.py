"""The catalog: every metric, applicant column, level and rule id the project knows.

Receives nothing; hands every later stage (tables, prose, checks, store, UI) the one list of metric
keys with their Chinese labels, tables, eras, units and comparability grades (FORMATS.md §4), and the
row and column labels of the 2019/2021 tables that the table parser matches against.
A test holds this module and `../shared/spec/METRICS.md` to each other in both directions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Era(str, Enum):
    PRE2019 = "pre2019"
    F2019 = "2019"
    F2021 = "2021"


class Grade(str, Enum):
    """Comparability across eras (FORMATS.md §4)."""

    A = "A"  # same definition
    B = "B"  # approximately comparable; chart with a caveat
    C = "C"  # not comparable; never on one axis
    ONLY = "only"  # exists in one era (or a run of eras) only: nothing to compare with


class Kind(str, Enum):
    COUNT = "count"  # non-negative integer
    SIGNED = "signed"  # 本年增/减: signed integer
    MONEY = "money"  # 万元, decimal


@dataclass(frozen=True)
class Metric:
    key: str
    label_zh: str
    label_en: str
    table: str  # "table2" | "table3" | "table4" | "old" | "prose" | "derived"
    eras: frozenset[Era]
    unit: str
    kind: Kind = Kind.COUNT
    grade: Grade = Grade.B
    compares_with: str | None = None  # the new-format key an old-format metric is read against
    group: str = ""  # dashboard grouping: proactive | applications | outcomes | review | litigation | ops


NEW = frozenset({Era.F2019, Era.F2021})
ONLY2019 = frozenset({Era.F2019})
ONLY2021 = frozenset({Era.F2021})
OLD = frozenset({Era.PRE2019})
ALL = frozenset(Era)


def _m(key: str, zh: str, en: str, table: str, eras: frozenset[Era], unit: str = "件", *args, **kw) -> Metric:
    return Metric(key, zh, en, table, eras, unit, *args, **kw)


# Table 2 (主动公开): rows × columns of each era. Stocks and item counts are grade C across eras.
_TABLE2: list[Metric] = [
    _m("regulations_new", "规章·本年新制作/制发", "Regulations made", "table2", NEW, grade=Grade.B, group="proactive"),
    _m("regulations_published", "规章·本年新公开", "Regulations published", "table2", ONLY2019, grade=Grade.ONLY, group="proactive"),
    _m("regulations_total", "规章·对外公开总数", "Regulations published (stock)", "table2", ONLY2019, grade=Grade.C, group="proactive"),
    _m("regulations_repealed", "规章·本年废止", "Regulations repealed", "table2", ONLY2021, grade=Grade.ONLY, group="proactive"),
    _m("regulations_in_force", "规章·现行有效", "Regulations in force", "table2", ONLY2021, grade=Grade.C, group="proactive"),
    _m("normative_docs_new", "规范性文件·本年新制作/制发", "Normative documents made", "table2", NEW, grade=Grade.B, group="proactive"),
    _m("normative_docs_published", "规范性文件·本年新公开", "Normative documents published", "table2", ONLY2019, grade=Grade.ONLY, group="proactive"),
    _m("normative_docs_total", "规范性文件·对外公开总数", "Normative documents published (stock)", "table2", ONLY2019, grade=Grade.C, group="proactive"),
    _m("normative_docs_repealed", "规范性文件·本年废止", "Normative documents repealed", "table2", ONLY2021, grade=Grade.ONLY, group="proactive"),
    _m("normative_docs_in_force", "规范性文件·现行有效", "Normative documents in force", "table2", ONLY2021, grade=Grade.C, group="proactive"),
    _m("licensing_prev_year", "行政许可·上一年项目数", "Licensing items (previous year)", "table2", ONLY2019, "项", grade=Grade.ONLY, group="proactive"),
    _m("licensing_change", "行政许可·本年增减", "Licensing items change", "table2", ONLY2019, "项", Kind.SIGNED, Grade.ONLY, group="proactive"),
    _m("licensing_decisions", "行政许可·处理决定数", "Licensing decisions", "table2", NEW, group="proactive"),
    _m("other_services_prev_year", "其他对外管理服务事项·上一年项目数", "Other services items (previous year)", "table2", ONLY2019, "项", grade=Grade.ONLY, group="proactive"),
    _m("other_services_change", "其他对外管理服务事项·本年增减", "Other services items change", "table2", ONLY2019, "项", Kind.SIGNED, Grade.ONLY, group="proactive"),
    _m("other_services_decisions", "其他对外管理服务事项·处理决定数", "Other services decisions", "table2", ONLY2019, grade=Grade.ONLY, group="proactive"),
    _m("penalty_prev_year", "行政处罚·上一年项目数", "Penalty items (previous year)", "table2", ONLY2019, "项", grade=Grade.ONLY, group="proactive"),
    _m("penalty_change", "行政处罚·本年增减", "Penalty items change", "table2", ONLY2019, "项", Kind.SIGNED, Grade.ONLY, group="proactive"),
    _m("penalty_decisions", "行政处罚·处理决定数", "Penalty decisions", "table2", NEW, group="proactive"),
    _m("coercion_prev_year", "行政强制·上一年项目数", "Coercion items (previous year)", "table2", ONLY2019, "项", grade=Grade.ONLY, group="proactive"),
    _m("coercion_change", "行政强制·本年增减", "Coercion items change", "table2", ONLY2019, "项", Kind.SIGNED, Grade.ONLY, group="proactive"),
    _m("coercion_decisions", "行政强制·处理决定数", "Coercion decisions", "table2", NEW, group="proactive"),
    _m("fees_prev_year_items", "行政事业性收费·上一年项目数", "Administrative fee items (previous year)", "table2", ONLY2019, "项", grade=Grade.C, group="proactive"),
    _m("fees_change", "行政事业性收费·本年增减", "Administrative fee items change", "table2", ONLY2019, "项", Kind.SIGNED, Grade.C, group="proactive"),
    _m("admin_fees_amount_wan", "行政事业性收费·本年收费金额(万元)", "Administrative fee revenue (10k yuan)", "table2", ONLY2021, "万元", Kind.MONEY, Grade.C, group="proactive"),
    _m("procurement_items", "政府集中采购·采购项目数", "Central procurement projects", "table2", ONLY2019, "项", grade=Grade.ONLY, group="proactive"),
    _m("procurement_amount_wan", "政府集中采购·采购总金额(万元)", "Central procurement amount (10k yuan)", "table2", ONLY2019, "万元", Kind.MONEY, Grade.ONLY, group="proactive"),
]

# Table 3 (依申请公开): the 总计 column; applicant columns go to `breakdown`.
_TABLE3: list[Metric] = [
    _m("applications_new", "本年新收申请数", "New applications", "table3", ALL, group="applications"),
    _m("applications_carried_over", "上年结转申请数", "Applications carried over", "table3", NEW, grade=Grade.ONLY, group="applications"),
    _m("granted", "予以公开", "Granted", "table3", ALL, group="outcomes"),
    _m("partially_granted", "部分公开", "Partially granted", "table3", ALL, group="outcomes"),
    _m("denied_state_secret", "不予公开·属于国家秘密", "Denied: state secret", "table3", ALL, group="outcomes"),
    _m("denied_law_forbidden", "不予公开·其他法律行政法规禁止公开", "Denied: forbidden by law", "table3", ALL, group="outcomes"),
    _m("denied_three_safety", "不予公开·危及“三安全一稳定”", "Denied: security and stability", "table3", ALL, group="outcomes"),
    _m("denied_third_party", "不予公开·保护第三方合法权益", "Denied: third-party rights", "table3", NEW, group="outcomes"),
    _m("denied_internal_affairs", "不予公开·属于三类内部事务信息", "Denied: internal affairs", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("denied_process_info", "不予公开·属于四类过程性信息", "Denied: process information", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("denied_enforcement_file", "不予公开·属于行政执法案卷", "Denied: enforcement file", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("denied_inquiry", "不予公开·属于行政查询事项", "Denied: administrative inquiry", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("unable_no_info", "无法提供·本机关不掌握相关政府信息", "Unable: not held", "table3", NEW, group="outcomes"),
    _m("unable_need_create", "无法提供·没有现成信息需要另行制作", "Unable: would need creating", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("unable_unclear", "无法提供·补正后申请内容仍不明确", "Unable: still unclear", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("not_processed_complaint", "不予处理·信访举报投诉类申请", "Not processed: petition or complaint", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("not_processed_repeat", "不予处理·重复申请", "Not processed: repeat", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("not_processed_publication", "不予处理·要求提供公开出版物", "Not processed: publication", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("not_processed_massive", "不予处理·无正当理由大量反复申请", "Not processed: massive repeat", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("not_processed_confirm", "不予处理·要求确认或重新出具已获取信息", "Not processed: re-confirmation", "table3", NEW, grade=Grade.ONLY, group="outcomes"),
    _m("other_handling", "其他处理", "Other handling", "table3", NEW, grade=Grade.A, group="outcomes"),
    _m("other_no_correction", "其他处理·逾期不补正", "Other: no correction in time", "table3", ONLY2021, grade=Grade.ONLY, group="outcomes"),
    _m("other_no_fee", "其他处理·逾期未缴费", "Other: fee not paid", "table3", ONLY2021, grade=Grade.ONLY, group="outcomes"),
    _m("other_misc", "其他处理·其他", "Other: miscellaneous", "table3", ONLY2021, grade=Grade.ONLY, group="outcomes"),
    _m("processed_total", "办理结果总计", "Processed (total)", "table3", ALL, group="outcomes"),
    _m("carried_to_next_year", "结转下年度继续办理", "Carried to next year", "table3", NEW, grade=Grade.ONLY, group="applications"),
    _m("denied_total", "不予公开合计", "Denied (total)", "derived", ALL, group="outcomes"),
    _m("unable_total", "无法提供合计", "Unable (total)", "derived", NEW, group="outcomes"),
    _m("not_processed_total", "不予处理合计", "Not processed (total)", "derived", NEW, grade=Grade.ONLY, group="outcomes"),
]

@dataclass(frozen=True)
class Table4Group:
    """A group of table 4's columns (FORMATS.md §2.3): its metric key prefix and its names."""

    key: str
    label_zh: str
    label_en: str
    column_zh: str  # the short name of the group in evidence (“直接起诉·结果维持”)
    chart_group: str  # the dashboard group of its metrics


# Table 4: three groups of five leaves (维持/纠正/其他/尚未审结/总计), 15 cells in printed order.
TABLE4_GROUPS: tuple[Table4Group, ...] = (
    Table4Group("review", "行政复议", "Administrative review", "行政复议", "review"),
    Table4Group("litigation_direct", "行政诉讼·未经复议直接起诉", "Suits filed directly", "直接起诉", "litigation"),
    Table4Group("litigation_after_review", "行政诉讼·复议后起诉", "Suits after review", "复议后起诉", "litigation"),
)
# (leaf key, Chinese label, English label); the last leaf is the group's total.
TABLE4_LEAVES: tuple[tuple[str, str, str], ...] = (
    ("upheld", "结果维持", "upheld"), ("corrected", "结果纠正", "corrected"), ("other", "其他结果", "other outcome"),
    ("pending", "尚未审结", "pending"), ("total", "总计", "total"))
TABLE4_OUTCOMES: tuple[str, ...] = tuple(leaf for leaf, _, _ in TABLE4_LEAVES[:-1])  # the leaves that add up to 总计


def table4_key(group: str, leaf: str) -> str:
    return f"{group}_{leaf}"


def _table4() -> list[Metric]:
    out: list[Metric] = []
    for group in TABLE4_GROUPS:
        for leaf, leaf_zh, leaf_en in TABLE4_LEAVES:
            first = group.key == "review" and leaf != "pending"  # the old 统计表 has review outcomes, no pending
            out.append(_m(table4_key(group.key, leaf), f"{group.label_zh}·{leaf_zh}", f"{group.label_en}: {leaf_en}",
                          "table4", ALL if first else NEW, grade=Grade.B if first else Grade.ONLY, group=group.chart_group))
    for leaf, leaf_zh, leaf_en in TABLE4_LEAVES:
        if leaf == "pending":
            continue
        out.append(_m(f"litigation_{leaf}", f"行政诉讼合计·{leaf_zh}", f"Litigation (all): {leaf_en}", "derived", ALL,
                      group="litigation"))
    return out


# Old format (2008–2018) indicators of the 2014 统计表 and the prose (issue 4 reads them).
_OLD: list[Metric] = [
    _m("proactive_items", "主动公开政府信息数", "Items proactively disclosed", "prose", ALL, "条", grade=Grade.C, group="proactive"),
    _m("normative_docs_proactive", "主动公开规范性文件数", "Normative documents disclosed", "old", OLD, "条", grade=Grade.C, group="proactive"),
    _m("normative_docs_issued", "制发规范性文件总数", "Normative documents issued", "old", OLD, compares_with="normative_docs_new", group="proactive"),
    _m("proactive_via_gazette", "通过政府公报公开", "Disclosed via gazette", "old", OLD, "条", grade=Grade.ONLY, group="proactive"),
    _m("proactive_via_website", "通过政府网站公开", "Disclosed via website", "old", OLD, "条", grade=Grade.ONLY, group="proactive"),
    _m("proactive_via_weibo", "通过政务微博公开", "Disclosed via Weibo", "old", OLD, "条", grade=Grade.ONLY, group="proactive"),
    _m("proactive_via_wechat", "通过政务微信公开", "Disclosed via WeChat", "old", OLD, "条", grade=Grade.ONLY, group="proactive"),
    _m("proactive_via_other", "通过其他方式公开", "Disclosed via other channels", "old", OLD, "条", grade=Grade.ONLY, group="proactive"),
    _m("hot_topic_responses", "回应公众关注热点或重大舆情数", "Responses to public concerns", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("press_conferences", "参加或举办新闻发布会次数", "Press conferences", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("press_conferences_leaders", "主要负责同志参加新闻发布会次数", "Press conferences with leaders", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("online_interviews", "政府网站在线访谈次数", "Online interviews", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("online_interviews_leaders", "主要负责同志参加在线访谈次数", "Online interviews with leaders", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("policy_interpretations", "政策解读稿件发布数", "Policy interpretations", "old", OLD, "篇", grade=Grade.ONLY, group="ops"),
    _m("responses_via_weibo_wechat", "微博微信回应事件数", "Responses via Weibo/WeChat", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("responses_via_other", "其他方式回应事件数", "Responses via other channels", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("applications_in_person", "当面申请数", "Applications in person", "old", OLD, grade=Grade.ONLY, group="applications"),
    _m("applications_fax", "传真申请数", "Applications by fax", "old", OLD, grade=Grade.ONLY, group="applications"),
    _m("applications_online", "网络申请数", "Applications online", "old", OLD, grade=Grade.ONLY, group="applications"),
    _m("applications_letter", "信函申请数", "Applications by letter", "old", OLD, grade=Grade.ONLY, group="applications"),
    _m("processed_on_time", "按时办结数", "Processed on time", "old", OLD, grade=Grade.ONLY, group="applications"),
    _m("processed_extended", "延期办结数", "Processed with extension", "old", OLD, grade=Grade.ONLY, group="applications"),
    _m("replied_total", "申请答复数", "Replies", "old", OLD, compares_with="processed_total", group="outcomes"),
    _m("replied_already_public", "属于已主动公开范围数", "Replies: already public", "old", OLD, compares_with="granted", grade=Grade.C, group="outcomes"),
    _m("denied_commercial_secret", "不同意公开·涉及商业秘密", "Denied: commercial secret", "old", OLD, compares_with="denied_third_party", group="outcomes"),
    _m("denied_privacy", "不同意公开·涉及个人隐私", "Denied: privacy", "old", OLD, compares_with="denied_third_party", group="outcomes"),
    _m("denied_not_gov_info", "不同意公开·不是《条例》所指政府信息", "Denied: not government information", "old", OLD, grade=Grade.ONLY, group="outcomes"),
    _m("not_this_agency", "不属于本行政机关公开数", "Not this agency", "old", OLD, compares_with="unable_no_info", group="outcomes"),
    _m("info_not_exist", "申请信息不存在数", "Information does not exist", "old", OLD, compares_with="unable_no_info", group="outcomes"),
    _m("told_to_amend", "告知作出更改补充数", "Told to amend", "old", OLD, compares_with="unable_unclear", grade=Grade.C, group="outcomes"),
    _m("told_other_channel", "告知通过其他途径办理数", "Told to use another channel", "old", OLD, compares_with="other_handling", grade=Grade.C, group="outcomes"),
    _m("complaints_total", "举报投诉数量", "Complaints", "old", OLD, grade=Grade.ONLY, group="review"),
    _m("fees_collected_wan", "依申请公开收取的费用/信息处理费(万元)", "Disclosure fees collected (10k yuan)", "prose", ALL, "万元", Kind.MONEY, Grade.C, group="ops"),
    _m("dedicated_offices", "政府信息公开工作专门机构数", "Dedicated offices", "old", OLD, "个", grade=Grade.ONLY, group="ops"),
    _m("reading_points", "设置政府信息公开查阅点数", "Reading points", "old", OLD, "个", grade=Grade.ONLY, group="ops"),
    _m("staff_total", "从事政府信息公开工作人员数", "Staff", "old", OLD, "人", grade=Grade.ONLY, group="ops"),
    _m("staff_fulltime", "专职人员数", "Full-time staff", "old", OLD, "人", grade=Grade.ONLY, group="ops"),
    _m("staff_parttime", "兼职人员数", "Part-time staff", "old", OLD, "人", grade=Grade.ONLY, group="ops"),
    _m("budget_wan", "政府信息公开专项经费(万元)", "Dedicated budget (10k yuan)", "old", OLD, "万元", Kind.MONEY, Grade.ONLY, group="ops"),
    _m("meetings", "召开工作会议或专题会议数", "Meetings", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("trainings", "举办各类培训班数", "Training sessions", "old", OLD, "次", grade=Grade.ONLY, group="ops"),
    _m("trainees", "接受培训人员数", "Trainees", "old", OLD, "人次", grade=Grade.ONLY, group="ops"),
]

METRICS: dict[str, Metric] = {m.key: m for m in (*_TABLE2, *_TABLE3, *_table4(), *_OLD)}

# Derived sums: key -> the leaves it adds up (METRICS.md: "derived in new formats").
DERIVED_SUMS: dict[str, tuple[str, ...]] = {
    "denied_total": ("denied_state_secret", "denied_law_forbidden", "denied_three_safety", "denied_third_party",
                     "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_inquiry"),
    "unable_total": ("unable_no_info", "unable_need_create", "unable_unclear"),
    "not_processed_total": ("not_processed_complaint", "not_processed_repeat", "not_processed_publication",
                            "not_processed_massive", "not_processed_confirm"),
    "litigation_total": ("litigation_direct_total", "litigation_after_review_total"),
    "litigation_upheld": ("litigation_direct_upheld", "litigation_after_review_upheld"),
    "litigation_corrected": ("litigation_direct_corrected", "litigation_after_review_corrected"),
    "litigation_other": ("litigation_direct_other", "litigation_after_review_other"),
}

# Applicant columns of table 3, in printed order (c1..c7).
APPLICANTS: tuple[str, ...] = ("natural_person", "commercial", "research", "social_org", "legal_service", "other_org", "total")
APPLICANT_LABELS: dict[str, str] = {
    "natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_org": "社会公益组织",
    "legal_service": "法律服务机构", "other_org": "其他", "total": "总计",
}

# The fields of a report's metadata (METRICS.md "report"), as the store keeps them.
REPORT_FIELDS: tuple[str, ...] = ("title", "province", "city", "region", "agency", "level", "year", "format_era",
                                  "published", "adcode", "scope")
# What each field is called wherever a person reads it: export headers, the report's card, the upload form.
FIELD_LABELS: dict[str, str] = {
    "title": "标题", "province": "省份", "city": "地市", "region": "县区/地区", "agency": "发布机关", "level": "机关层级",
    "year": "数据年度", "format_era": "报告版式", "published": "发布日期", "adcode": "区划代码", "scope": "统计范围",
}
# Data years a report can be about: the Regulation (国务院令第492号) took effect on 2008-05-01, so the first
# annual reports are for 2008 (FORMATS.md "2008 → 今", METRICS.md "2008 Regulation"); the last leaves room ahead.
FIRST_YEAR, LAST_YEAR = 2008, 2035

TIERS: tuple[str, ...] = ("province", "prefecture", "county", "township")
KINDS: tuple[str, ...] = ("government", "department")
LEVELS: tuple[str, ...] = tuple(f"{t}_{k}" for t in TIERS for k in KINDS)
# Level rules for zones (FORMATS §6: classify the org, 管委会 included). A zone (综合实验区, 新区, 开发区, 高新区…) has
# no tier in law. Its 管理委员会/管委会 is its government (kind government; its bureaus are departments), and it sits one
# tier below the area that runs it: a zone of a prefecture (长沙经济技术开发区, 株洲市云龙示范区) is county tier, a
# province's (贵安新区, 西咸新区, 平潭综合实验区 of 福建省) prefecture tier, a county's (攸县经济开发区) township tier; a 直辖市
# runs its zones as it runs its districts (万盛经济技术开发区 of 重庆市: county tier). Zones with a division code of
# their own (浦东新区, 滨海新区, 两江新区, 雄安新区) take their code's tier instead. `metadata` reads 管委会 as a government.
ZONE_WORDS: tuple[str, ...] = ("综合实验区", "新区", "开发区", "高新区", "经开区", "园区", "示范区", "试验区", "实验区",
                               "保税区", "合作区")
_TIER_BELOW: dict[str, str] = {"province": "prefecture", "prefecture": "county", "county": "township"}


def zone_tier(parent_tier: str | None, municipality: bool = False) -> str:
    """The tier of a zone run by an area of `parent_tier` (see ZONE_WORDS); county when the parent is not known."""
    return "county" if municipality else _TIER_BELOW.get(parent_tier or "", "county")


# The figures each dashboard page follows over the years, first the one it ranks areas by (pages read them here, so a
# page never spells a metric key).
PAGE_SERIES: dict[str, tuple[str, ...]] = {
    "proactive": ("proactive_items", "normative_docs_new", "licensing_decisions", "penalty_decisions", "coercion_decisions"),
    "applications": ("applications_new", "applications_carried_over"),
    "review": ("review_total", "litigation_total"),
}


LEVEL_LABELS: dict[str, str] = {
    "province_government": "省级政府", "province_department": "省级部门",
    "prefecture_government": "地级政府", "prefecture_department": "地级部门",
    "county_government": "县级政府", "county_department": "县级部门",
    "township_government": "乡镇(街道)", "township_department": "乡镇(街道)部门",
}

# Rule ids of findings: FORMATS.md §5 plus the extractor's own.
RULES: dict[str, str] = {
    "K1": "申请表各列：新收+结转=总计+结转下年",
    "K2": "申请表各行：各类申请人之和=总计",
    "K3": "办理结果总计=各项结果之和",
    "K4": "复议诉讼各组：维持+纠正+其他+尚未审结=总计",
    "K5": "跨年度：上年结转申请数=同一机关上一年报告的结转下年度继续办理",
    "K8": "正文所述数字与表格不符（以表格为准）",
    "K9": "表格版式与数据年度不符",
    "K10": "数值应为非负整数（增减与金额除外）",
    "L1": "旧版：办结数不应超过收到申请数",
    "L2": "旧版：按时办结+延期办结=申请办结数",
    "L3": "旧版：各渠道申请数之和不超过收到申请数",
    "L4": "旧版：复议（诉讼）各结果之和不超过总数",
    "L5": "旧版：专职+兼职=工作人员数",
    "placement": "数值位置无法确定，未予采用",
    "assumed": "按惯例推定的数值位置",
    "prose": "正文数字含义不明，未予采用",
    "withheld": "表格数值与正文及表内合计均不符，未予采用",
    "place_slip": "地名与地名库只差一字，文中省市相符，按地名库记录",
    "reading": "文件有部分内容未能读取",
    "ocr": "扫描件文字识别不确定的数字，未予采用",
}
SEVERITIES: tuple[str, ...] = ("error", "warn", "info")


# --- Row and column labels of the 2019/2021 tables (FORMATS.md §2) -------------------------------
# Labels are matched after normalisation (simplified characters, no whitespace, no numbering
# prefix); each entry lists distinctive fragments, the first one that is found wins. Order matters
# where one label contains another (规章 within 行政规范性文件 does not: we match whole-cell prefixes).

# Table 3 rows: (metric key, fragments). "其他处理" sub-rows R21a/b/c carry FORMATS §7's prefixes.
TABLE3_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("applications_new", ("本年新收",)),
    ("applications_carried_over", ("上年结转",)),
    ("granted", ("予以公开",)),
    ("partially_granted", ("部分公开",)),
    ("denied_state_secret", ("属于国家秘密", "国家秘密")),
    ("denied_law_forbidden", ("其他法律行政法规禁止", "法律行政法规禁止", "禁止公开", "行政止公开", "其他法律")),
    ("denied_three_safety", ("三安全一稳定", "危及")),
    ("denied_third_party", ("保护第三方", "第三方合法权益")),
    ("denied_internal_affairs", ("三类内部事务", "内部事务")),
    ("denied_process_info", ("四类过程性", "过程性信息")),
    ("denied_enforcement_file", ("行政执法案卷", "执法案卷")),
    ("denied_inquiry", ("行政查询事项", "查询事项")),
    ("unable_no_info", ("本机关不掌握", "不掌握")),
    ("unable_need_create", ("没有现成信息", "另行制作")),
    ("unable_unclear", ("补正后申请内容仍不明确", "仍不明确")),
    ("not_processed_complaint", ("信访举报投诉",)),
    ("not_processed_repeat", ("重复申请",)),
    ("not_processed_publication", ("公开出版物",)),
    ("not_processed_massive", ("大量反复申请", "无正当理由大量")),
    ("not_processed_confirm", ("确认或重新出具", "重新出具")),
    ("other_no_correction", ("逾期不补正",)),
    ("other_no_fee", ("逾期未按收费通知", "未按收费通知", "缴纳费用")),
    ("other_handling", ("其他处理",)),
    ("processed_total", ("总计",)),
    ("carried_to_next_year", ("结转下年度",)),
)
# "3.其他" under （六）其他处理 in the 2021 layout: a bare "其他" row label after the R21a/b rows.
TABLE3_OTHER_MISC_LABEL = "其他"
# The rows of table 3 by role (FORMATS.md §2.2): received (本年新收, 上年结转), the outcome leaves in printed
# order (予以公开 … 不予处理; K3 adds them with row （六）), row （六）'s 2021 sub-rows, and the end rows of K1.
TABLE3_RECEIVED: tuple[str, ...] = ("applications_new", "applications_carried_over")
TABLE3_END_ROWS: tuple[str, ...] = (*TABLE3_RECEIVED, "processed_total", "carried_to_next_year")
TABLE3_OTHER_SUB_ROWS: tuple[str, ...] = ("other_no_correction", "other_no_fee", "other_misc")
TABLE3_OUTCOME_LEAVES: tuple[str, ...] = ("granted", "partially_granted", *DERIVED_SUMS["denied_total"],
                                          *DERIVED_SUMS["unable_total"], *DERIVED_SUMS["not_processed_total"])
# The outcome groups of table 3 (its rows （一）…（六）) by the key that sums each one.
OUTCOME_GROUPS: tuple[str, ...] = ("granted", "partially_granted", "denied_total", "unable_total", "not_processed_total",
                                   "other_handling")
# Every outcome row of the 2019/2021 table 3 that adds up to 办理结果总计 (row （六） itself, not its sub-rows).
OUTCOME_KEYS: tuple[str, ...] = (*TABLE3_OUTCOME_LEAVES, "other_handling")

# Header text of an applicant column -> its key, tried in order (法人或其他组织, the group over five columns,
# is taken out of the header first).
APPLICANT_HEADERS: tuple[tuple[str, str], ...] = (
    ("总计", "total"), ("合计", "total"), ("自然人", "natural_person"), ("商业企业", "commercial"), ("科研机构", "research"),
    ("社会公益", "social_org"), ("法律服务", "legal_service"), ("其他", "other_org"))

# Table 2: block rows (label fragments -> metric prefix) and the columns of each era.
TABLE2_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("regulations", ("规章",)),
    ("normative_docs", ("规范性文件",)),
    ("licensing", ("行政许可",)),
    ("other_services", ("其他对外管理服务事项", "对外管理服务")),
    ("penalty", ("行政处罚",)),
    ("coercion", ("行政强制",)),
    ("fees", ("行政事业性收费",)),
    ("procurement", ("政府集中采购", "集中采购")),
)
# Columns of each block, by era: metric suffixes in printed order.
TABLE2_COLUMNS: dict[Era, dict[str, tuple[str, ...]]] = {
    Era.F2019: {
        "regulations": ("new", "published", "total"),
        "normative_docs": ("new", "published", "total"),
        "licensing": ("prev_year", "change", "decisions"),
        "other_services": ("prev_year", "change", "decisions"),
        "penalty": ("prev_year", "change", "decisions"),
        "coercion": ("prev_year", "change", "decisions"),
        "fees": ("prev_year_items", "change"),
        "procurement": ("items", "amount_wan"),
    },
    Era.F2021: {
        "regulations": ("new", "repealed", "in_force"),
        "normative_docs": ("new", "repealed", "in_force"),
        "licensing": ("decisions",),
        "penalty": ("decisions",),
        "coercion": ("decisions",),
        "fees": ("amount_wan",),
    },
}
# The 2021 fee column holds 万元; the key is admin_fees_amount_wan, not fees_amount_wan.
TABLE2_KEY_OVERRIDES: dict[str, str] = {"fees_amount_wan": "admin_fees_amount_wan"}
# Column suffix -> (its header as the 2019/2021 forms print it, named in evidence; its short label in charts).
TABLE2_COLUMN_LABELS: dict[str, tuple[str, str]] = {
    "new": ("本年新制作/制发", "本年新制作/制发"), "published": ("本年新公开数量", "本年新公开"),
    "total": ("对外公开总数量", "对外公开总数"), "repealed": ("本年废止件数", "本年废止"), "in_force": ("现行有效件数", "现行有效"),
    "prev_year": ("上一年项目数量", "上一年项目数"), "prev_year_items": ("上一年项目数量", "上一年项目数"),
    "change": ("本年增/减", "本年增/减"), "decisions": ("处理决定数量", "处理决定数"), "items": ("采购项目数量", "采购项目数"),
    "amount_wan": ("金额", "金额(万元)"),
}

# Header tokens that tell the layout (FORMATS.md §7). Matched on whitespace-free normalised text.
ERA_TOKENS: dict[Era, tuple[str, ...]] = {
    Era.F2019: ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "采购项目数量", "采购总金额"),
    Era.F2021: ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额"),
}

# When table 2's header tokens are lost (split over lines by a PDF-to-markdown tool), table 3 still tells the era:
# only the 2021 form splits （六）其他处理 into sub-rows; a table 3 printed through to 结转下年度 without them is 2019's.
ERA_TABLE3_TOKENS: tuple[str, tuple[str, ...], tuple[str, ...]] = (
    "本年新收政府信息公开申请", ("逾期不补正", "逾期未按收费通知"), ("其他处理", "结转下年度"))

TABLE4_KEYS: tuple[str, ...] = tuple(table4_key(g.key, leaf) for g in TABLE4_GROUPS for leaf, _, _ in TABLE4_LEAVES)


def table2_key(block: str, column: str) -> str:
    key = f"{block}_{column}"
    return TABLE2_KEY_OVERRIDES.get(key, key)


def label(key: str) -> str:
    """Chinese label of a metric key, or of `key@applicant` breakdown keys."""
    base, _, applicant = key.partition("@")
    text = METRICS[base].label_zh
    return f"{text}（{APPLICANT_LABELS[applicant]}）" if applicant else text


@dataclass(frozen=True)
class Rate:
    """A rate over a selection: a ratio of sums (undefined, not 0, when the denominator is 0)."""

    key: str
    label_zh: str
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    minus: tuple[str, ...] = ()  # subtracted from the denominator
    eras: frozenset[Era] = NEW


RATES: dict[str, Rate] = {r.key: r for r in (
    Rate("granted_rate", "予以公开率", ("granted",), ("processed_total",)),
    Rate("disclosed_rate", "公开率（含部分公开）", ("granted", "partially_granted"), ("processed_total",)),
    Rate("denied_rate", "不予公开率", ("denied_total",), ("processed_total",)),
    Rate("review_correction_rate", "复议纠错率", ("review_corrected",), ("review_total",), ("review_pending",)),
    Rate("litigation_correction_rate", "诉讼纠错率", ("litigation_corrected",), ("litigation_total",),
         ("litigation_direct_pending", "litigation_after_review_pending")),
)}


# --- Printed layout, for showing one report as printed (the dashboard's 报告详情) ---------------------------
# Table 3 rows in printed order (FORMATS.md §2.2, R01–R23): (metric key, section, group, item) as printed.
# 2019 prints （六）其他处理 as one row (other_handling); 2021 as three (other_no_correction, other_no_fee, other_misc).
_RESULTS = "三、本年度办理结果"
TABLE3_PRINTED_ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("applications_new", "一、本年新收政府信息公开申请数量", "", ""),
    ("applications_carried_over", "二、上年结转政府信息公开申请数量", "", ""),
    ("granted", _RESULTS, "（一）予以公开", ""),
    ("partially_granted", _RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("denied_state_secret", _RESULTS, "（三）不予公开", "1.属于国家秘密"),
    ("denied_law_forbidden", _RESULTS, "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied_three_safety", _RESULTS, "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied_third_party", _RESULTS, "（三）不予公开", "4.保护第三方合法权益"),
    ("denied_internal_affairs", _RESULTS, "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied_process_info", _RESULTS, "（三）不予公开", "6.属于四类过程性信息"),
    ("denied_enforcement_file", _RESULTS, "（三）不予公开", "7.属于行政执法案卷"),
    ("denied_inquiry", _RESULTS, "（三）不予公开", "8.属于行政查询事项"),
    ("unable_no_info", _RESULTS, "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable_need_create", _RESULTS, "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable_unclear", _RESULTS, "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed_complaint", _RESULTS, "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed_repeat", _RESULTS, "（五）不予处理", "2.重复申请"),
    ("not_processed_publication", _RESULTS, "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed_massive", _RESULTS, "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed_confirm", _RESULTS, "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_handling", _RESULTS, "（六）其他处理", ""),
    ("other_no_correction", _RESULTS, "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", _RESULTS, "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_misc", _RESULTS, "（六）其他处理", "3.其他"),
    ("processed_total", _RESULTS, "（七）总计", ""),
    ("carried_to_next_year", "四、结转下年度继续办理", "", ""),
)
# Table 3's outcome groups （一）–（六） and their leaf rows, in printed order (charts colour a group as one family).
OUTCOME_GROUP_LEAVES: dict[str, tuple[str, ...]] = {
    "granted": ("granted",), "partially_granted": ("partially_granted",),
    "denied_total": DERIVED_SUMS["denied_total"], "unable_total": DERIVED_SUMS["unable_total"],
    "not_processed_total": DERIVED_SUMS["not_processed_total"], "other_handling": ("other_handling",),
}
OUTCOME_GROUP_LABELS: dict[str, str] = {"granted": "予以公开", "partially_granted": "部分公开", "denied_total": "不予公开",
                                        "unable_total": "无法提供", "not_processed_total": "不予处理",
                                        "other_handling": "其他处理"}
SCOPE_LABELS: dict[str, str] = {"body": "机关本身", "area": "地区汇总"}
SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warn": "警告", "info": "提示"}
GRADE_LABELS: dict[str, str] = {  # FORMATS.md §4
    "A": "A：定义相同，可跨版式比较", "B": "B：大致可比，比较时需加说明", "C": "C：不可比，不得画在同一坐标轴上",
    "only": "仅一种版式：无可比较的对象"}
TABLE_LABELS: dict[str, str] = {"table2": "表二 主动公开", "table3": "表三 依申请公开", "table4": "表四 复议诉讼",
                                "old": "旧版统计表", "prose": "正文", "derived": "推算（各项之和）"}
