"""analysis.agencies takes level and region from the agency register where it knows the agency."""

from govstats.analysis import agencies


def test_classify_takes_what_the_register_knows(tmp_path):
    names = ["武汉市汉阳区人民政府办公室", "平潭综合实验区管委会", "两城镇人民政府", "某局"]
    t = agencies.classify(names, tmp_path / "absent.csv").set_index("agency")
    assert t.loc["武汉市汉阳区人民政府办公室", ["region", "level", "source"]].tolist() == \
        ["湖北省", "department", "register"]  # the name alone reads as the district
    assert t.loc["平潭综合实验区管委会", ["region", "level", "source"]].tolist() == ["福建省", "county", "register"]
    # a short name the register holds is still not trusted without its parent: inferred, no region
    assert t.loc["两城镇人民政府", ["level", "source"]].tolist() == ["township", "inferred"]
    assert t.loc["某局", "source"] == "inferred"
