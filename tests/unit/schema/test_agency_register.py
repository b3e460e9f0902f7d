"""The agency register and the division codes it takes from the cpca code table."""

from __future__ import annotations

import pytest

from govstats.errors import GovstatsError
from govstats.schema import agencies, divisions
from govstats.schema.agencies import Level, read_register, register


def test_division_codes_come_from_the_code_table_by_path():
    assert divisions.code("浙江省/杭州市/拱墅区") == "330105"
    assert divisions.code("福建省/福州市/平潭县") == "350128"
    assert divisions.code("上海市/浦东新区") == "310115"  # a municipality's districts sit directly below it
    assert divisions.name("320800") == "淮安市"
    with pytest.raises(GovstatsError, match="ambiguous"):
        divisions.code("江苏省/鼓楼区")  # 南京 and 徐州 both have one: a name alone is not a division
    with pytest.raises(GovstatsError, match="not a division"):
        divisions.code("浙江省/杭州市/下关区")


def test_every_row_is_consistent_with_the_code_table_and_its_parent():
    reg = register()
    assert len(reg.agencies) > 30
    for a in reg:
        parts = a.division.split("/")
        assert divisions.name(a.division_code) == parts[-1], a.agency_id
        assert a.region == parts[0] and a.region.endswith(("省", "自治区", "市"))
        if a.parent is None:
            assert a.level in (Level.PROVINCE, Level.CENTRAL), a.agency_id
            continue
        parent = reg[a.parent]
        if a.level in (Level.DEPARTMENT, Level.TOWNSHIP):  # an organ or a township: its government's division
            assert a.division_code == parent.division_code, a.agency_id
        else:  # a government: a division inside its parent's
            assert a.division_code != parent.division_code
            assert a.division_code.startswith(parent.division_code.rstrip("0")[:4]), a.agency_id


def test_no_alias_is_shared_and_every_canonical_name_is_found():
    reg = register()
    for a in reg:
        assert reg.named(a.name) == [a]
        for alias in a.aliases:
            assert reg.named(alias.name) == [a], alias.name
    pingtan = reg["pingtan"]
    assert {"平潭综合实验区管委会", "平潭综合实验区"} <= {x.name for x in pingtan.aliases}
    assert reg.named("平潭综合實驗區管委會") == [pingtan]  # traditional characters, normalised


def test_a_short_name_is_not_qualified_without_its_place():
    reg = register()
    assert reg.qualified(reg["shuangta-qianjin"], "双塔区前进街道")  # holds 双塔 of 双塔区
    assert reg.qualified(reg["pingtan"], "平潭综合实验区管委会")  # holds 平潭 of 平潭县
    assert not reg.qualified(reg["weishan-liangcheng"], "两城镇人民政府")
    assert not reg.qualified(reg["yuyang-tuofenglu"], "驼峰路街道办事处")


def test_sites_name_only_with_a_path_and_hosts_confirm_parents():
    reg = register()
    assert reg.at_site("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202503/t.htm") == reg["pingtan"]
    assert reg.at_site("http://www.weishan.gov.cn/any/page.html") is None  # a portal carries many agencies
    assert reg.hosted(reg["weishan-liangcheng"], "http://weishan.gov.cn/x.html")
    assert not reg.hosted(reg["weishan-liangcheng"], "http://www.dlweishan.gov.cn/x.html")  # 巍山, not 微山


@pytest.mark.parametrize("rows, aliases, message", [
    ("a,甲市人民政府,prefecture,b,浙江省/杭州市,,\n", "", "unknown parent"),
    ("a,甲市人民政府,city,,浙江省/杭州市,,\n", "", "level 'city'"),
    ("a,甲局,department,,,,\n", "", "no division"),
    ("a,杭州市人民政府,prefecture,,浙江省/杭州市,,\n", "b,杭州市,,\n", "unknown agency 'b'"),
])
def test_an_inconsistent_register_is_refused(tmp_path, rows, aliases, message):
    (tmp_path / "a.csv").write_text("agency_id,name,level,parent,division,sites,note\n" + rows, "utf-8")
    (tmp_path / "b.csv").write_text("agency_id,alias,years,files\n" + aliases, "utf-8")
    with pytest.raises(GovstatsError, match=message):
        read_register(tmp_path / "a.csv", tmp_path / "b.csv")


def test_the_register_is_package_data():
    assert agencies.DATA.joinpath(agencies.AGENCIES_CSV).is_file()
    assert agencies.DATA.joinpath(agencies.ALIASES_CSV).is_file()
