"""Pages of group-buy: the store's printable pick list, and the shopper's phone pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

_PRINT_CSS = """
body{font:14px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;margin:24px;color:#111}
table{border-collapse:collapse;width:100%;margin-bottom:18px}
th,td{border:1px solid #999;padding:4px 8px;text-align:left}
td.n{text-align:right}.ref{font:600 15px ui-monospace,monospace}
@media print{.noprint{display:none}}
"""


def pick_list_page(title: str, store_id: str, rows: Sequence[Mapping[str, Any]]) -> str:
    """One table per order (what goes in each bag), then the totals per product (what to
    take from the stockroom)."""
    totals: dict[tuple[str, str], int] = {}
    orders: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        orders.setdefault(str(row["order"]), []).append(row)
        key = (str(row["gtin"]), str(row["product"]))
        totals[key] = totals.get(key, 0) + int(row["quantity"])
    sum_rows = "".join(
        f"<tr><td>{escape(gtin)}</td><td>{escape(name)}</td><td class='n'>{n}</td></tr>"
        for (gtin, name), n in sorted(totals.items())
    )
    bags = "".join(
        f"<tr><td class='ref'>{escape(ref)}</td><td>{escape(str(lines[0]['buyer']))}</td><td>"
        + "<br>".join(f"{escape(str(line['product']))} × {int(line['quantity'])}" for line in lines)
        + "</td><td>☐</td></tr>"
        for ref, lines in orders.items()
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · pick list</title><style>{_PRINT_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><p>Store {escape(store_id)} · {len(orders)} orders</p>"
        "<h2>Products · 商品合计</h2><table id='totals'><tr><th>GTIN</th><th>Product</th>"
        f"<th>Units</th></tr>{sum_rows}</table>"
        "<h2>Orders · 订单</h2><table id='orders'><tr><th>Order</th><th>Buyer</th>"
        f"<th>Goods</th><th>Packed</th></tr>{bags}</table>"
        "<button class='noprint' onclick='window.print()'>Print · 打印</button></body></html>"
    )
