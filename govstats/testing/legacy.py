"""Generated pre-2019 reports: a 2014–2018-style 统计表, or figures stated only in sentences.

Legacy reports have no national layout. `make_legacy_report` lays out the 统计表 most provinces
attached from 2014 to 2018 (指标名称 | 计量单位 | YYYY年度 | 历年累计, 其中 rows under their totals,
review and suit outcomes under each) as a `printed` layout, so every renderer of
`testing.synthetic` and `testing.office` prints it; `prose=True` prints no table and states the
figures in sentences instead (共受理政府信息公开申请N件，其中同意公开N件…). Every report also carries
sentences with numbers of other things (dates, 〔2016〕5号, 第二十四条, counts of web posts and of
items classed 依申请公开): the accuracy benchmark counts any of them read as a request figure.
"""

from __future__ import annotations

import random

from .. import schema
from ..schema import Key, LayoutRow
from .synthetic import SyntheticReport

# The 2014–2018 统计表 as printed: (key, label as printed, unit, parent key or "").
TABLE_ROWS = (
    ("active_total", "主动公开信息数", "条", ""),
    ("active_website", "其中：1、网站公开", "条", "active_total"),
    ("active_gazette", "2、政府公报公开", "条", "active_total"),
    ("requests_received", "收到申请数", "件", ""),
    ("requests_in_person", "其中：1、当面申请数", "件", "requests_received"),
    ("requests_online", "2、网上申请数", "件", "requests_received"),
    ("requests_letter_fax", "3、信函、传真申请数", "件", "requests_received"),
    ("requests_closed", "申请办结数", "件", ""),
    ("answers_total", "申请答复数", "件", ""),
    ("granted", "其中：1、同意公开", "件", "answers_total"),
    ("partially_granted", "2、同意部分公开", "件", "answers_total"),
    ("denied", "3、不同意公开", "件", "answers_total"),
    ("not_this_body", "4、不属于本行政机关公开", "件", "answers_total"),
    ("not_exist", "5、申请信息不存在", "件", "answers_total"),
    ("amend_notice", "6、告知作出更改补充", "件", "answers_total"),
    ("redirected", "7、告知通过其他途径办理", "件", "answers_total"),
    ("admin_reviews", "行政复议数量", "件", ""),
    ("review_upheld", "其中：维持具体行政行为数", "件", "admin_reviews"),
    ("review_corrected", "被依法纠错数", "件", "admin_reviews"),
    ("review_other", "其他情形数", "件", "admin_reviews"),
    ("suits", "行政诉讼数量", "件", ""),
    ("suits_upheld", "其中：维持具体行政行为或者驳回原告诉讼请求数", "件", "suits"),
    ("suits_corrected", "被依法纠错数", "件", "suits"),
    ("suits_other", "其他情形数", "件", "suits"),
    ("complaints", "举报投诉数量", "件", ""),
    ("fees", "依申请公开信息收取的费用", "万元", ""),
)
HEADER = ("指标名称", "计量单位", "{year}年度", "历年累计")
# The measures a number of something else must never become (false readings are counted against them).
REQUEST_MEASURES = frozenset({"requests_received", "granted", "partially_granted", "denied", "admin_reviews",
                              "suits", "answers_total", "requests_closed"})
CHECKED_ROWS = tuple(r for top in ("answers_total", "admin_reviews", "suits") for r in (top, *schema.LEGACY_PARTS[top])
                     if r in {k for k, *_ in TABLE_ROWS})


def distractors(year: int, rng: random.Random) -> tuple[str, ...]:
    """Sentences whose numbers count something else: none of them is a request figure."""
    return (
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
        f"根据《关于做好{year}年政府信息公开工作的通知》（示政办〔{year}〕{rng.randint(2, 99)}号）要求，"
        f"{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日前受理的申请均已办结。",
        f"依据《条例》第二十四条规定，收到申请后{rng.choice((10, 15))}个工作日内予以答复。",
        f"全年通过门户网站发布各类信息{rng.randint(200, 9000)}条，更新政务微博{rng.randint(10, 900)}条，"
        f"接听咨询电话{rng.randint(5, 300)}人次。",
    )


def _split(rng: random.Random, total: int, n: int) -> list[int]:
    cuts = sorted(rng.randint(0, total) for _ in range(n - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


def make_legacy_report(seed: int, agency: str, year: int, *, prose: bool = False, scale: int = 40) -> SyntheticReport:
    """A legacy report whose 统计表 adds up (or, `prose`, whose sentences state its figures)."""
    rng = random.Random(seed)
    year_values: dict[str, float] = {}
    answers = rng.randint(0, scale)
    year_values["answers_total"] = year_values["requests_closed"] = answers
    parents = {"answers_total": answers, "active_total": rng.randint(50, scale * 100),
               "admin_reviews": rng.randint(0, 4), "suits": rng.randint(0, 3)}
    parents["requests_received"] = answers + rng.randint(0, 3)
    for top, total in parents.items():
        year_values[top] = total
        parts = [k for k, _, _, parent in TABLE_ROWS if parent == top]
        year_values.update(zip(parts, _split(rng, total, len(parts))))
    year_values["complaints"] = rng.randint(0, 5)
    year_values["fees"] = round(rng.uniform(0, 2), 2)
    rep = SyntheticReport(agency, year, "legacy", {})
    if prose:
        v = year_values
        items = rng.randint(5, 500)
        rep.paragraphs = (
            *distractors(year, rng)[:2],
            f"{year}年，{agency}主动公开政府信息{int(v['active_total'])}条，依申请公开信息{items}条。",
            f"全年共受理政府信息公开申请{int(v['requests_received'])}件，其中同意公开{int(v['granted'])}件，"
            f"同意部分公开{int(v['partially_granted'])}件，不同意公开{int(v['denied'])}件。",
            f"因政府信息公开申请提起行政复议{int(v['admin_reviews'])}件，提起行政诉讼{int(v['suits'])}件。",
            *distractors(year, rng)[2:],
        )
        stated = ("active_total", "requests_received", "granted", "partially_granted", "denied", "admin_reviews",
                  "suits")
        rep.values = {("legacy", k, "value"): v[k] for k in stated} | {("legacy", "on_request_info", "value"): items}
        rep.printed = []
        return rep
    rep.paragraphs = distractors(year, rng)
    layout = [LayoutRow(tuple((h.format(year=year), 1, 1) for h in HEADER), ())]
    for key, label, unit, _parent in TABLE_ROWS:
        value = year_values[key]
        spread = scale * (50 if "active" in key else 3)
        earlier = round(rng.uniform(0, 3), 2) if key == "fees" else rng.randint(0, spread)
        keys = (("legacy", key, "value"), ("legacy", key, "cumulative"))
        rep.values[keys[0]], rep.values[keys[1]] = value, round(value + earlier, 2)
        layout.append(LayoutRow(((label, 1, 1), (unit, 1, 1)), keys))
    _cumulative_sums(rep.values)
    rep.printed = [(schema.TABLE_LABELS["legacy"], layout)]
    return rep


def _cumulative_sums(values: dict[Key, float]) -> None:
    """Running totals that add up like the year's figures: a total's cumulative is its parts' (earlier years too)."""
    for top, parts in schema.LEGACY_PARTS.items():
        printed = [p for p in parts if ("legacy", p, "cumulative") in values]
        if ("legacy", top, "cumulative") in values and printed:
            values[("legacy", top, "cumulative")] = sum(values[("legacy", p, "cumulative")] for p in printed)
