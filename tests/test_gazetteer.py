"""Gazetteer: areas named in titles and agency names, homonyms, townships, zones, false positives, speed."""

from __future__ import annotations

import pytest

from govreport_core.extraction.gazetteer import Area, Gazetteer, Location, get_gazetteer


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return get_gazetteer()


@pytest.mark.parametrize(("primary", "expected"), [
    ("株洲市芦淞区人民政府2019年政府信息公开年度报告", Location("湖南省", "株洲市", "芦淞区", "430203", "county")),
    ("2014年江汉区政府信息公开工作年度报告", Location("湖北省", "武汉市", "江汉区", "420103", "county")),
    ("咸安区发展和改革局", Location("湖北省", "咸宁市", "咸安区", "421202", "county")),
    ("淮安市人民政府2024年政府信息公开工作年度报告", Location("江苏省", "淮安市", "淮安市", "320800", "prefecture")),
    ("洪泽区人民政府", Location("江苏省", "淮安市", "洪泽区", "320813", "county")),
    ("湖南省人民政府办公厅", Location("湖南省", None, "湖南省", "430000", "province")),
    # 直辖市: the district's city is the municipality; the municipality itself is a province
    ("上海市黄浦区人民政府", Location("上海市", "上海市", "黄浦区", "310101", "county")),
    ("2019年上海市人民政府办公厅", Location("上海市", None, "上海市", "310000", "province")),
    # 省直辖县级行政区划: no prefecture
    ("仙桃市人民政府", Location("湖北省", None, "仙桃市", "429004", "county")),
    ("济源市人民政府", Location("河南省", None, "济源市", "419001", "county")),
    # the 洪江管理区 of 怀化市 is not 洪江市 of 怀化市
    ("洪江区2016年信息公开年度报告", Location("湖南省", "怀化市", "洪江区", None, "county")),
    ("洪江市人民政府", Location("湖南省", "怀化市", "洪江市", "431281", "county")),
    # short forms before an area of their own
    ("湖南株洲芦淞区政府信息公开年度报告", Location("湖南省", "株洲市", "芦淞区", "430203", "county")),
    ("湖北恩施州人民政府", Location("湖北省", "恩施土家族苗族自治州", "恩施土家族苗族自治州", "422800", "prefecture")),
    # a former county name keeps its old parent and code
    ("株洲县人民政府2015年政府信息公开工作年度报告", Location("湖南省", "株洲市", "株洲县", "430221", "county")),
    ("两江新区管委会", Location("重庆市", "重庆市", "两江新区", "500157", "county")),
    ("平潭综合实验区管委会", Location("福建省", "平潭综合实验区", "平潭综合实验区", None, "prefecture")),  # run by the province
])
def test_locate_the_lowest_area_named(gaz: Gazetteer, primary: str, expected: Location) -> None:
    assert gaz.locate(primary) == expected


@pytest.mark.parametrize(("primary", "context", "city", "adcode"), [
    ("鼓楼区人民政府2020年政府信息公开工作年度报告", "徐州市鼓楼区位于徐州市中心。", "徐州市", "320302"),
    ("鼓楼区人民政府", "本区是福建省福州市的中心城区。福州市", "福州市", "350102"),
    ("南京市鼓楼区人民政府", "", "南京市", "320106"),
    ("江苏南京鼓楼区", "", "南京市", "320106"),
])
def test_homonyms_are_settled_by_the_name_or_the_text(gaz: Gazetteer, primary: str, context: str,
                                                     city: str, adcode: str) -> None:
    got = gaz.locate(primary, context)
    assert got is not None
    assert (got.region, got.city, got.adcode) == ("鼓楼区", city, adcode)


def test_an_unsettled_homonym_keeps_its_name_but_no_code(gaz: Gazetteer) -> None:
    assert gaz.locate("鼓楼区人民政府") == Location(None, None, "鼓楼区", None, "county")
    # 江苏省 leaves two (南京, 徐州): the province they share is kept, not a city
    assert gaz.locate("鼓楼区人民政府", "江苏省") == Location("江苏省", None, "鼓楼区", None, "county")


def test_find_shows_homonyms_and_narrows_them_after_a_parent(gaz: Gazetteer) -> None:
    [alone] = gaz.find("鼓楼区")
    assert {a.adcode for a in alone.areas} == {"350102", "410204", "320302", "320106"}
    text = "徐州市鼓楼区"
    mentions = gaz.find(text)
    assert [text[m.start:m.end] for m in mentions] == ["徐州市", "鼓楼区"]
    assert [a.adcode for a in mentions[1].areas] == ["320302"]


def test_townships(gaz: Gazetteer) -> None:
    assert gaz.locate("芦淞区建宁街道办事处") == Location("湖南省", "株洲市", "建宁街道", None, "township")
    title = "建宁街道办事处2020年政府信息公开工作年度报告"
    assert gaz.locate(title) == Location(None, None, "建宁街道", None, "township")
    context = "建宁街道位于芦淞区中部。芦淞区委、芦淞区人民政府。株洲市"
    assert gaz.locate(title, context) == Location("湖南省", "株洲市", "建宁街道", None, "township")
    # two counties equally often: no parent rather than a guess
    assert gaz.locate(title, "芦淞区、芦淞区、天元区、天元区").city is None
    assert gaz.locate("某某镇人民政府") == Location(None, None, "某某镇", None, "township")
    assert gaz.locate("中山市东区街道办事处") == Location("广东省", "中山市", "东区街道", None, "township")


@pytest.mark.parametrize("text", [
    "州人民政府高度重视政府信息公开工作。",
    "我们吃了三明治。",
    "和平与发展是时代主题。",
    "城乡建设局开展工作。",
    "推进老城区改造和城区道路建设。",  # names that are words, in prose
    "市和县两级政府",  # 和县 inside a phrase
    "北京上海广州等城市",  # short forms with no area of theirs after them
    "河西区域发展",
    "景德镇2019年",
])
def test_words_that_contain_area_names_are_not_areas(gaz: Gazetteer, text: str) -> None:
    assert gaz.locate(text) is None


@pytest.mark.parametrize(("primary", "adcode"), [
    ("2019年和县人民政府", "340523"),  # a two-character name where a phrase starts
    ("马鞍山市和县", "340523"),  # or after its parent
    ("洛阳市老城区人民政府", "410302"),
    ("阳泉市城区人民政府", "140302"),
    ("长阳县人民政府", "420528"),  # 长阳土家族自治县
])
def test_weak_names_in_a_clear_position(gaz: Gazetteer, primary: str, adcode: str) -> None:
    got = gaz.locate(primary)
    assert got is not None and got.adcode == adcode


def test_table_shape(gaz: Gazetteer) -> None:
    assert gaz.lookup("芦淞区") == [Area("芦淞区", "430203", "county", "湖南省", "株洲市")]
    assert [a.tier for a in gaz.lookup("重庆市")] == ["province"]  # the prefecture rows only repeat it
    assert gaz.lookup("台北市") == [] and gaz.lookup("中西区") == []  # 台湾/香港/澳门 left out
    assert len(gaz.lookup("和平区")) == 2  # 沈阳, 天津
    assert gaz.lookup("渌口区")[0].adcode == "430212"
    assert gaz.lookup("苏鲁交界") == [] and gaz.lookup("市辖区") == []
    assert get_gazetteer() is gaz


def test_extra_areas(gaz: Gazetteer) -> None:
    [zone] = gaz.lookup("洪江区")
    assert (zone.kind, zone.adcode, zone.city, zone.province) == ("zone", None, "怀化市", "湖南省")
    [former] = gaz.lookup("郫县")
    assert (former.kind, former.adcode, former.city) == ("former", "510124", "成都市")
    [new_area] = gaz.lookup("贵安新区")
    assert (new_area.tier, new_area.city, new_area.province) == ("prefecture", "贵安新区", "贵州省")
    with pytest.raises(ValueError, match="bad row"):
        Gazetteer([("430000000000", "湖南省")], [{"name": "某区", "adcode": "", "tier": "county",
                                                  "parent": "无此市", "kind": "zone", "note": ""}])
    with pytest.raises(ValueError, match="bad row"):  # already in the MCA table
        Gazetteer([("430000000000", "湖南省"), ("430200000000", "株洲市"), ("430203000000", "芦淞区")],
                  [{"name": "芦淞区", "adcode": "", "tier": "county", "parent": "株洲市", "kind": "zone", "note": ""}])


@pytest.mark.parametrize(("primary", "expected"), [
    ("湘潭高新技术产业开发区管理委员会", Location("湖南省", "湘潭市", "湘潭高新技术产业开发区", None, "county")),
    ("2022年岳阳经济技术开发区政府信息公开工作年度报告", Location("湖南省", "岳阳市", "岳阳经济技术开发区", None, "county")),
    ("衡阳高新区管委会", Location("湖南省", "衡阳市", "衡阳高新区", None, "county")),
])
def test_a_zone_named_after_its_city(gaz: Gazetteer, primary: str, expected: Location) -> None:
    assert gaz.locate(primary) == expected


@pytest.mark.parametrize("primary", [
    "朝阳经济技术开发区管委会",  # 朝阳市, but also the 朝阳区 of 北京 and 长春
    "吉林高新区管委会",  # 吉林省 or 吉林市
    "长沙理工大学",  # a city's short form with no zone after it
])
def test_a_zone_whose_city_is_not_certain_is_not_placed(gaz: Gazetteer, primary: str) -> None:
    assert gaz.locate(primary) is None


# --- zones written after the area that runs them (catalog.zone_tier) and slips of one character -----------------
@pytest.mark.parametrize(("primary", "expected"), [
    ("株洲市云龙示范区管理委员会", Location("湖南省", "株洲市", "云龙示范区", None, "county")),
    ("长沙市高新区管委会", Location("湖南省", "长沙市", "长沙市高新区", None, "county")),  # no name of its own
    ("攸县经济开发区管委会", Location("湖南省", "株洲市", "攸县经济开发区", None, "township")),  # a county's zone
    ("重庆市万州经济技术开发区管委会", Location("重庆市", "重庆市", "万州经济技术开发区", None, "county")),
    ("株洲市芦淞区人民政府", Location("湖南省", "株洲市", "芦淞区", "430203", "county")),  # no zone: unchanged
])
def test_a_zone_after_its_parent(gaz: Gazetteer, primary: str, expected: Location) -> None:
    assert gaz.locate(primary) == expected


@pytest.mark.parametrize(("primary", "context", "official"), [
    ("株洲市芦松区人民政府", "", "芦淞区"),  # the city written before it agrees
    ("湖南省株洲市芦松区人民政府", "", "芦淞区"),
    ("芦松区人民政府", "本报告由湖南省株洲市芦淞区人民政府编制。", "芦淞区"),  # the text names the city
    ("徐州市鼓搂区人民政府", "", "鼓楼区"),  # 鼓楼区 is a homonym; 徐州市 picks one
    ("2023年芦松区人民政府", "株洲市", "芦淞区"),
])
def test_a_slip_of_one_character_with_the_parents_agreeing(gaz: Gazetteer, primary: str, context: str,
                                                           official: str) -> None:
    found = gaz.slip(primary, context)
    assert found is not None and found[1] is not None and found[1].name == official


@pytest.mark.parametrize(("primary", "context"), [
    ("芦松区人民政府", ""),  # nothing names its province or city
    ("芦松区人民政府", "江苏省南京市"),  # the text names another province
    ("荼陵县人民政府", "株洲市"),  # 茶陵县 and 炎陵县 of 株洲市 are both one character away
    ("株洲市岚溪区人民政府", ""),  # no name one character away
])
def test_a_slip_that_is_not_accepted(gaz: Gazetteer, primary: str, context: str) -> None:
    found = gaz.slip(primary, context)
    assert found is not None and found[1] is None


@pytest.mark.parametrize("primary", [
    "株洲市芦淞区人民政府",  # known names
    "株洲市市场监督管理局",
    "南充市高新区管委会",  # a zone, though 高坪区 of 南充市 is one character away
    "株洲市新城区管委会",
    "建宁街道办事处",
    "和县人民政府",
])
def test_names_that_are_no_slip(gaz: Gazetteer, primary: str) -> None:
    assert gaz.slip(primary) is None
