"""Metadata from team-written report heads: title, area, agency, level, year, published, scope."""

from __future__ import annotations

import pytest

from govreport_core.extraction.gazetteer import get_gazetteer
from govreport_core.extraction.metadata import find_header_org
from govreport_core.extraction.pipeline import extract_bytes
from govreport_core.model import Document

BODY = "\n一、总体情况\n本机关认真贯彻《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条。\n"


def meta(head: str, body: str = BODY) -> dict:
    result = extract_bytes((head + body).encode("utf-8"), "report.txt").to_dict()
    assert "error" not in result, result.get("error")
    return result["report"]


@pytest.mark.parametrize(("head", "expected"), [
    ("株洲市芦淞区人民政府2020年政府信息公开工作年度报告",
     {"province": "湖南省", "city": "株洲市", "region": "芦淞区", "agency": "芦淞区人民政府",
      "level": "county_government", "year": 2020, "adcode": "430203"}),
    ("咸宁市咸安区发展和改革局2021年政府信息公开工作年度报告",
     {"region": "咸安区", "agency": "咸安区发展和改革局", "level": "county_department", "year": 2021}),
    ("淮安市人民政府2024年政府信息公开工作年度报告",
     {"province": "江苏省", "city": "淮安市", "region": "淮安市", "level": "prefecture_government"}),
    ("上海市黄浦区人民政府2022年政府信息公开工作年度报告",
     {"province": "上海市", "city": "上海市", "region": "黄浦区", "level": "county_government"}),
    ("2019年上海市人民政府办公厅政府信息公开工作年度报告",
     {"region": "上海市", "agency": "上海市人民政府办公厅", "level": "province_department", "year": 2019}),
    ("芦淞区建宁街道办事处2021年政府信息公开工作年度报告",
     {"city": "株洲市", "region": "建宁街道", "agency": "建宁街道办事处", "level": "township_government"}),
    ("洪泽区人民政府\n2023年政府信息公开工作年度报告",  # title split over two lines
     {"city": "淮安市", "region": "洪泽区", "agency": "洪泽区人民政府", "year": 2023}),
    ("洪江區2016年信息公開年度報告",  # traditional characters, a management zone
     {"province": "湖南省", "city": "怀化市", "region": "洪江区", "agency": "洪江区人民政府", "year": 2016}),
    ("岚溪区市场监督管理局2022年政府信息公开工作年度报告",  # an area the gazetteer does not know
     {"region": None, "agency": "岚溪区市场监督管理局", "level": "county_department"}),
    ("舒兰市市场监督管理局2016年政务信息公开年度报告",
     {"region": "舒兰市", "level": "county_department", "year": 2016}),
    ("二〇一四年度鼓楼区政府信息公开工作年度报告",  # Chinese-numeral year; 鼓楼区 alone is ambiguous
     {"region": "鼓楼区", "city": None, "adcode": None, "year": 2014}),
])
def test_metadata_from_the_title(head: str, expected: dict) -> None:
    got = meta(head)
    for key, value in expected.items():
        assert got[key] == value, key


def test_homonym_is_settled_by_the_city_the_text_names() -> None:
    got = meta("鼓楼区人民政府2020年政府信息公开工作年度报告", BODY + "徐州市鼓楼区位于徐州市中心。\n")
    assert (got["city"], got["adcode"]) == ("徐州市", "320302")


def test_year_comes_from_the_statistics_period_when_the_title_has_none() -> None:
    got = meta("驼峰路街道办事处政府信息公开工作年度报告\n发布日期:2021-01-20",
               BODY + "本报告所列数据的统计期限自2020年1月1日至2020年12月31日。\n")
    assert got["year"] == 2020
    assert got["published"] == "2021-01-20"


def test_no_year_anywhere_gives_null_not_the_publication_date() -> None:
    got = meta("某县政府信息公开工作年度报告\n发布时间:2021-03-01", BODY)
    assert got["year"] is None and got["published"] == "2021-03-01"


def test_upload_time_and_edit_time_are_not_the_publication_date() -> None:
    assert meta("芦淞区人民政府2020年政府信息公开工作年度报告\n时间:2023-04-14\n更新时间:2021-02-01")["published"] is None


def test_scope_area_for_aggregates_and_body_for_departments() -> None:
    aggregate = meta("淮安市人民政府2024年政府信息公开工作年度报告",
                     "\n全市共受理政府信息公开申请3119件，答复3050件。\n")
    assert aggregate["scope"] == "area"
    assert meta("咸安区发展和改革局2018年政务公开工作年度报告")["scope"] == "body"


def test_no_area_named_leaves_area_null_but_keeps_the_level() -> None:
    got = meta("自治州信息公开管理报告", "\n州人民政府高度重视政府信息公开工作。州人民政府办公室负责。\n")
    assert (got["region"], got["province"], got["year"]) == (None, None, None)
    assert got["agency"] == "州人民政府" and got["level"] == "prefecture_government"


@pytest.mark.parametrize("text", ["我们吃了三明治。", "和平与发展是时代主题。", "城乡建设局开展工作。"])
def test_words_that_contain_area_names_are_not_areas(text: str) -> None:
    assert get_gazetteer().locate(text) is None


@pytest.mark.parametrize("year", ["二〇二三", "二○二三", "二◯二三", "二0二三", "二O二三"])
def test_chinese_year_with_a_look_alike_zero(year: str) -> None:
    """○ (U+25CB), ◯, an ASCII 0 or a Latin O typed for 〇 is still the year, not part of the agency."""
    got = meta(f"芦淞区人民政府{year}年政府信息公开工作年度报告")
    assert (got["agency"], got["level"], got["year"]) == ("芦淞区人民政府", "county_government", 2023)


def test_guanyu_between_agency_and_year_is_not_part_of_the_agency() -> None:
    got = meta("芦淞区人民政府关于2023年政府信息公开工作年度报告")
    assert (got["agency"], got["level"], got["year"]) == ("芦淞区人民政府", "county_government", 2023)


@pytest.mark.parametrize("head", [
    "芦淞区人民政府2023年\n政府信息公开工作年度报告",  # split after the year (FORMATS §6)
    "株洲市芦淞区人民政府\n2023年政府信息公开\n工作年度报告",  # three lines
    "芦淞区人民政府\n2023年\n政府信息公开工作年度报告",
])
def test_title_split_over_lines(head: str) -> None:
    got = meta(head)
    assert (got["region"], got["agency"], got["level"], got["year"]) == (
        "芦淞区", "芦淞区人民政府", "county_government", 2023)


def test_html_title_split_by_br() -> None:
    page = ("<html><body><div>首页 &gt; 年报</div><h1>芦淞区人民政府2023年<br>政府信息公开工作年度报告</h1>"
            "<p>一、总体情况</p><p>本机关全年主动公开政府信息120条。</p></body></html>")
    got = extract_bytes(page.encode("utf-8"), "report.html").to_dict()["report"]
    assert (got["region"], got["agency"], got["level"]) == ("芦淞区", "芦淞区人民政府", "county_government")


def test_a_menu_of_years_is_not_joined_into_the_title() -> None:
    got = meta("芦淞区人民政府\n2021年 2022年 2023年\n政府信息公开工作年度报告")
    assert got["year"] is None  # which year is the report's own is not said


@pytest.mark.parametrize("head", [
    # a list of other reports above the title: the title nearest to the body is the report's
    "当前位置：首页 > 年报\n株洲市人民政府2023年政府信息公开工作年度报告\n天元区人民政府2023年政府信息公开工作年度报告\n"
    "芦淞区人民政府2023年政府信息公开工作年度报告\n\n芦淞区人民政府2023年政府信息公开工作年度报告\n发布日期：2024-01-18",
    # a list under the title, before the body: the title standing alone is the report's
    "芦淞区人民政府2023年政府信息公开工作年度报告\n相关阅读\n株洲市人民政府2023年政府信息公开工作年度报告\n"
    "天元区人民政府2023年政府信息公开工作年度报告",
])
def test_page_chrome_listing_other_reports(head: str) -> None:
    got = meta(head)
    assert (got["region"], got["agency"], got["level"], got["year"]) == (
        "芦淞区", "芦淞区人民政府", "county_government", 2023)


def test_the_same_bodys_earlier_reports_listed_above_do_not_give_the_year() -> None:
    got = meta("芦淞区人民政府2021年政府信息公开工作年度报告\n芦淞区人民政府2022年政府信息公开工作年度报告\n\n"
               "芦淞区人民政府2023年政府信息公开工作年度报告\n发布日期：2024-01-18")
    assert got["year"] == 2023


def test_html_title_tag_picks_the_report_from_a_sidebar() -> None:
    page = ("<html><head><title>芦淞区人民政府2023年政府信息公开工作年度报告</title></head><body>"
            "<ul><li>株洲市人民政府2023年政府信息公开工作年度报告</li></ul>"
            "<h1>芦淞区人民政府2023年政府信息公开工作年度报告</h1>"
            "<ul><li>天元区人民政府2023年政府信息公开工作年度报告</li></ul>"
            "<p>一、总体情况</p><p>本机关全年主动公开政府信息120条。</p></body></html>")
    got = extract_bytes(page.encode("utf-8"), "report.html").to_dict()["report"]
    assert (got["agency"], got["level"]) == ("芦淞区人民政府", "county_government")


@pytest.mark.parametrize(("source", "agency"), [
    ("株洲市芦淞区人民政府", "芦淞区人民政府"),
    ("株洲市芦淞区财政局", "芦淞区财政局"),
    ("芦淞区人民政府办公室", None),  # an office publishes for others: not evidence of the body
    ("芦淞区融媒体中心", None),
])
def test_source_line_names_the_body_when_the_title_does_not(source: str, agency: str | None) -> None:
    got = meta(f"2023年政府信息公开工作年度报告\n发布日期：2024-01-18　来源：{source}")
    assert got["agency"] == agency and got["year"] == 2023


def test_chinese_numeral_year_in_the_statistics_period() -> None:
    got = meta("芦淞区人民政府政府信息公开工作年度报告",
               BODY + "本报告所列数据的统计期限自二〇二三年1月1日起至二〇二三年12月31日止。\n")
    assert got["year"] == 2023


def test_published_date_from_the_closing_signature() -> None:
    head = "芦淞区人民政府2023年政府信息公开工作年度报告"
    assert meta(head, BODY + "\n株洲市芦淞区人民政府\n2024年1月18日\n")["published"] == "2024-01-18"
    assert meta(head, BODY + "\n2024年1月18日\n")["published"] is None  # a bare date, nobody signing


def test_a_meng_is_governed_by_its_xingzheng_gongshu() -> None:
    got = meta("锡林郭勒盟行政公署2022年政府信息公开工作年度报告")
    assert (got["agency"], got["level"], got["city"]) == ("锡林郭勒盟行政公署", "prefecture_government", "锡林郭勒盟")


def test_a_meng_aggregate_takes_the_government_name_the_text_gives() -> None:
    head = "2022年兴安盟政府信息公开工作年度报告\n发布日期：2023-01-20　来源：兴安盟行政公署"
    got = meta(head, "\n一、总体情况\n全盟各级行政机关主动公开政府信息800条。全盟共收到政府信息公开申请12件。\n")
    assert (got["agency"], got["level"], got["scope"]) == ("兴安盟行政公署", "prefecture_government", "area")
    # no name for its government anywhere: none is made up (a 盟 has a 行政公署, not a 人民政府)
    assert meta("2022年兴安盟政府信息公开工作年度报告")["agency"] is None


def test_a_prefecture_zone_named_after_its_city() -> None:
    got = meta("湘潭经济技术开发区管理委员会2022年政府信息公开工作年度报告")
    assert (got["province"], got["city"], got["adcode"]) == ("湖南省", "湘潭市", None)
    assert got["agency"] == "湘潭经济技术开发区管理委员会"


def test_the_source_line_places_a_township_the_title_names_alone() -> None:
    got = meta("石羊塘镇人民政府2022年政府信息公开工作年度报告\n发布日期：2023-01-20　来源：攸县石羊塘镇人民政府")
    assert (got["province"], got["city"], got["region"]) == ("湖南省", "株洲市", "石羊塘镇")
    assert (got["agency"], got["level"]) == ("石羊塘镇人民政府", "township_government")


@pytest.mark.parametrize("label", ["发布日期：", "成文日期:", "发文日期", "发布时间"])
def test_published_date_in_the_next_cell_of_an_info_table(label: str) -> None:
    page = ("<html><body><table><tr><td>索引号：</td><td>430203-000-2023-00001</td></tr>"
            f"<tr><td>发布机构：</td><td>株洲市芦淞区人民政府办公室</td><td>{label}</td><td>2023-02-01</td></tr></table>"
            "<h1>芦淞区人民政府2022年政府信息公开工作年度报告</h1>"
            "<p>一、总体情况</p><p>本机关全年主动公开政府信息120条。</p></body></html>")
    got = extract_bytes(page.encode("utf-8"), "report.html").to_dict()["report"]
    assert got["published"] == "2023-02-01"


def test_published_date_on_the_line_after_its_label() -> None:
    assert meta("芦淞区人民政府2022年政府信息公开工作年度报告\n发布时间\n2023-02-01")["published"] == "2023-02-01"


def test_a_source_below_the_titles_area_does_not_move_the_report_there() -> None:
    got = meta("2022年芦淞区政府信息公开工作年度报告\n发布日期：2023-01-20　来源：株洲市芦淞区建宁街道办事处")
    assert (got["region"], got["agency"], got["level"]) == ("芦淞区", "芦淞区人民政府", "county_government")


# --- issue 14, point 6: the body named outside the title; zones; slips of one character ------------------------
def report(head: str, tail: str = "") -> dict:
    got = extract_bytes((head + BODY + tail).encode("utf-8"), "report.txt").to_dict()
    assert "error" not in got, got.get("error")
    return got


PLACE = ("province", "city", "region", "agency", "level", "adcode")


@pytest.mark.parametrize(("head", "tail", "expected"), [
    # the closing signature names the body the title leaves out
    ("2023年政府信息公开工作年度报告", "\n株洲市芦淞区人民政府\n2024年1月18日\n",
     ("湖南省", "株洲市", "芦淞区", "芦淞区人民政府", "county_government", "430203")),
    ("2023年政府信息公开工作年度报告", "\n株洲市芦淞区财政局\n二〇二四年一月十八日\n",
     ("湖南省", "株洲市", "芦淞区", "芦淞区财政局", "county_department", "430203")),
    # a header line above the title
    ("株洲市芦淞区人民政府\n发布日期：2024-01-18\n2023年政府信息公开工作年度报告", "",
     ("湖南省", "株洲市", "芦淞区", "芦淞区人民政府", "county_government", "430203")),
    # the 来源 line at the page's foot; traditional characters
    ("2023年政府信息公開工作年度報告", "\n信息來源：株洲市蘆淞區財政局\n",
     ("湖南省", "株洲市", "芦淞区", "芦淞区财政局", "county_department", "430203")),
    # the title names the body without its place; the 发布机构 line spells it out
    ("区市场监督管理局2023年政府信息公开工作年度报告\n发布机构：株洲市芦淞区市场监督管理局", "",
     ("湖南省", "株洲市", "芦淞区", "芦淞区市场监督管理局", "county_department", "430203")),
    ("高新区管委会2023年政府信息公开工作年度报告\n来源：株洲高新技术产业开发区管理委员会", "",
     ("湖南省", "株洲市", "株洲高新技术产业开发区", "株洲高新技术产业开发区管理委员会", "county_government", None)),
])
def test_the_body_named_by_the_page_when_the_title_gives_none(head: str, tail: str, expected: tuple) -> None:
    got = report(head, tail)["report"]
    assert tuple(got[k] for k in PLACE) == expected


@pytest.mark.parametrize("footer", ["\n版权所有：株洲市芦淞区人民政府　技术支持：某公司\n", "\n主办：株洲市芦淞区人民政府办公室\n"])
def test_the_sites_owner_gives_province_and_city_only(footer: str) -> None:
    """A county's site also hosts its departments' and townships' reports: no region, no body from it."""
    got = report("2023年政府信息公开工作年度报告", footer)["report"]
    assert tuple(got[k] for k in PLACE) == ("湖南省", "株洲市", None, None, None, None)
    township = report("建宁街道办事处2023年政府信息公开工作年度报告", footer)["report"]
    assert tuple(township[k] for k in PLACE) == (
        "湖南省", "株洲市", "建宁街道", "建宁街道办事处", "township_government", None)


@pytest.mark.parametrize(("head", "expected"), [
    ("株洲市云龙示范区管理委员会2023年政府信息公开工作年度报告",
     ("湖南省", "株洲市", "云龙示范区", "云龙示范区管理委员会", "county_government", None)),
    ("長沙市高新區財政局2023年政府信息公開工作年度報告",  # a zone's bureau is a department of the zone's tier
     ("湖南省", "长沙市", "长沙市高新区", "长沙市高新区财政局", "county_department", None)),
    ("攸县经济开发区管委会2023年政府信息公开工作年度报告",  # a county's zone: township tier
     ("湖南省", "株洲市", "攸县经济开发区", "攸县经济开发区管委会", "township_government", None)),
    ("贵安新区管理委员会2022年政府信息公开工作年度报告",  # a province's zone: prefecture tier
     ("贵州省", "贵安新区", "贵安新区", "贵安新区管理委员会", "prefecture_government", None)),
    ("福建省平潭综合实验区管理委员会2023年政府信息公开工作年度报告",
     ("福建省", "平潭综合实验区", "平潭综合实验区", "平潭综合实验区管理委员会", "prefecture_government", None)),
])
def test_zones_take_the_catalogs_level_rule(head: str, expected: tuple) -> None:
    got = report(head)["report"]
    assert tuple(got[k] for k in PLACE) == expected


@pytest.mark.parametrize(("head", "tail", "expected"), [
    ("株洲市芦松区人民政府2023年政府信息公开工作年度报告", "",
     ("湖南省", "株洲市", "芦淞区", "芦淞区人民政府", "county_government", "430203")),
    ("湖南省株洲市芦松區人民政府２０２３年政府信息公開工作年度報告", "",  # traditional, full-width digits
     ("湖南省", "株洲市", "芦淞区", "芦淞区人民政府", "county_government", "430203")),
    ("芦松区人民政府2023年政府信息公开工作年度报告", "\n株洲市芦淞区人民政府\n2024年1月18日\n",
     ("湖南省", "株洲市", "芦淞区", "芦淞区人民政府", "county_government", "430203")),
    ("徐州市鼓搂区人民政府2023年政府信息公开工作年度报告", "",
     ("江苏省", "徐州市", "鼓楼区", "鼓楼区人民政府", "county_government", "320302")),
])
def test_a_place_name_one_character_off_with_its_parents_agreeing(head: str, tail: str, expected: tuple) -> None:
    got = report(head, tail)
    assert tuple(got["report"][k] for k in PLACE) == expected
    slips = [f for f in got["findings"] if f["rule"] == "place_slip"]
    assert len(slips) == 1 and slips[0]["severity"] == "info" and expected[2] in slips[0]["message"]


@pytest.mark.parametrize(("head", "tail", "expected"), [
    # nothing names the province or the city: the written name stays, with no area
    ("芦松区人民政府2023年政府信息公开工作年度报告", "", (None, None, None, "芦松区人民政府", "county_government", None)),
    # the text names another province
    ("芦松区人民政府2023年政府信息公开工作年度报告", "\n江苏省南京市\n",
     (None, None, None, "芦松区人民政府", "county_government", None)),
    # an area below the city that nobody knows: not the city's report (no prefecture level)
    ("株洲市岚溪区人民政府2023年政府信息公开工作年度报告", "",
     ("湖南省", "株洲市", None, "岚溪区人民政府", "county_government", None)),
    ("湖南省岚溪县人民政府2023年政府信息公开工作年度报告", "",  # below a province: the 县 is still a county
     ("湖南省", None, None, "岚溪县人民政府", "county_government", None)),
])
def test_a_place_name_that_is_not_taken_for_a_slip(head: str, tail: str, expected: tuple) -> None:
    got = report(head, tail)
    assert tuple(got["report"][k] for k in PLACE) == expected
    assert not [f for f in got["findings"] if f["rule"] == "place_slip"]


def test_a_pdfs_running_header_names_the_body() -> None:
    page = "株洲市芦淞区财政局\n一、总体情况\n本机关全年主动公开政府信息120条。\n"
    text = "2023年政府信息公开工作年度报告\n" + page + page
    doc = Document(text, page_starts=[(0, 1), (len(text) - len(page), 2)])
    assert find_header_org(doc) == "株洲市芦淞区财政局"
    assert find_header_org(Document(text)) == ""  # not a PDF: two equal lines are no running header


def test_chrome_far_above_the_title_does_not_name_the_body() -> None:
    head = "株洲市人民政府\n首页\n政务公开\n政府信息公开年报\n索引号：430200-01\n2023年政府信息公开工作年度报告"
    assert meta(head)["agency"] is None


def test_a_source_cited_inside_the_text_at_the_foot_is_not_the_publisher() -> None:
    filler = "本机关持续推进政务公开标准化规范化建设，不断提升公开质量。\n" * 120  # the foot past the head's 3000 characters
    got = meta("2023年政府信息公开工作年度报告", BODY + filler + "按照上级要求开展工作（来源：湖南省人民政府办公厅）。\n")
    assert got["agency"] is None and got["region"] is None


def test_a_source_line_at_the_foot_of_a_long_page() -> None:
    filler = "本机关持续推进政务公开标准化规范化建设，不断提升公开质量。\n" * 120
    got = meta("2023年政府信息公开工作年度报告", BODY + filler + "信息来源：株洲市芦淞区财政局\n")
    assert (got["region"], got["agency"], got["level"]) == ("芦淞区", "芦淞区财政局", "county_department")


@pytest.mark.parametrize(("head", "level"), [
    ("高新区管委会2023年政府信息公开工作年度报告", "county_government"),  # no parent named: county
    ("岚溪区经济开发区管委会2023年政府信息公开工作年度报告", "township_government"),  # a county's zone
    ("岚溪市高新区财政局2023年政府信息公开工作年度报告", "county_department"),  # a city's zone's bureau
])
def test_zones_the_gazetteer_cannot_place_take_the_level_rule(head: str, level: str) -> None:
    got = meta(head)
    assert (got["region"], got["level"]) == (None, level)


# --- pages as crawled, excerpts ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("head", "title"), [
    ("标题: 株洲市芦淞区人民政府2016年政府信息公开工作年度报告\n发布时间: 2017-03-20\n==== 正文 ====\n"
     "当前位置: 首页>政务公开 株洲市芦淞区人民政府2016年政府信息公开工作年度报告 来源:芦淞区 时间:2017-03-20",
     "株洲市芦淞区人民政府2016年政府信息公开工作年度报告"),  # a crawler's field, the page's line full of menus
    ("# 株洲市芦淞区人民政府2024年政府信息公开工作年度报告", "株洲市芦淞区人民政府2024年政府信息公开工作年度报告"),
])
def test_a_title_in_a_crawlers_field_or_a_markdown_heading(head: str, title: str) -> None:
    got = meta(head)
    assert got["title"] == title and got["region"] == "芦淞区"


@pytest.mark.parametrize(("body", "year"), [
    ("一、概述\n2010年,我局继续开展政府信息公开工作。\n我局2010年共主动公开政府信息175条。\n"
     "2010年我局未收到政府信息公开申请。\n", 2010),
    ("Page 9 - 2020年报_审计局\n2020 年,我单位对形成的政府信息实现了依法公开。\n2020 年,我局政务公开工作取得了一些成绩。\n"
     "2021 年,我局将进一步提高认识。未出现申请行政复议、提起行政诉讼的情况。\n", 2020),  # the next year's plan does not count
    ("根据《关于做好2018年政务公开工作的通知》,2019年1月印发方案。\n2019年,全区共收到政府信息公开申请5件。\n", None),  # once only
    ("2018年,全区共收到政府信息公开申请5件。\n2019年,全区继续推进政务公开。\n", None),  # two years as often: no year
])
def test_an_excerpt_without_title_or_period_takes_the_year_its_sentences_name(body: str, year: int | None) -> None:
    got = extract_bytes(body.encode("utf-8"), "excerpt.txt").to_dict()
    assert got["report"]["year"] == year


def test_a_header_line_names_the_body_when_its_sentences_name_it_again() -> None:
    head = "天津市河北区人民政府\n2019年12月3日星期二\n本年度报告根据《中华人民共和国政府信息公开条例》编制。\n"
    got = extract_bytes((head + "一、总体情况\n2024年,河北区人民政府坚持依法公开,全年主动公开各类信息6709件。\n")
                        .encode("utf-8"), "excerpt.txt").to_dict()["report"]
    assert (got["province"], got["region"], got["agency"], got["level"]) == (
        "天津市", "河北区", "河北区人民政府", "county_government")
    other = extract_bytes((head + "一、总体情况\n2024年,区教育局坚持依法公开,全年主动公开各类信息120件。\n")
                          .encode("utf-8"), "excerpt.txt").to_dict()["report"]
    assert other["agency"] is None  # the site's name alone does not say whose report this is


@pytest.mark.parametrize(("text", "refused"), [
    ("# Notes\nThese pages quote 政府信息公开 reports: `一、本年新收政府信息公开申请数量640020470`.\n", True),
    ("2022年,全区各职能部门、镇街共收到政府信息依申请公开1499件。\n", False),  # a summary sentence
    ("政务公开\n四、结转下年度继续办理 0 0 0 0 0 0 0\n五、存在的主要问题及改进情况\n", False),  # a table's row
])
def test_not_a_report_only_without_title_table_rows_and_summary_sentence(text: str, refused: bool) -> None:
    got = extract_bytes(text.encode("utf-8"), "page.txt").to_dict()
    assert ("error" in got) == refused, got.get("error")
