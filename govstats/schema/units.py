"""The unit each money column is counted in (SCHEMA.md): a cell printing another unit is converted."""

from __future__ import annotations

COLUMN_UNITS: dict[tuple[str, str], str] = {
    ("active", "amount_10k_yuan"): "万元",  # 2021: 本年收费金额（单位：万元）
    ("active", "amount_yuan"): "元",  # 2019: 采购总金额, in yuan ('75394432.52元', shared/corpus/pingtan/004)
}
