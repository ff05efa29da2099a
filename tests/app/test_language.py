"""One language at a time (issue 19): the default comparison and the explorer in Danish show no English
words and in English no Danish ones, in their text, tables and charts, and so does the HTML report
downloaded from them (built as Streamlit builds it on a click: outside the session)."""
from __future__ import annotations

import json
import re

import pytest
from conftest import chart_json, charts, no_exception, texts
from language import DANISH, ENGLISH, found

REPS = 2


def _page_text(at) -> str:
    parts = [texts(at)]
    parts += [json.dumps(json.loads(chart_json(c)).get("layout", {}).get("title", "")) for c in charts(at)]
    for c in charts(at):   # legends, axis titles and subplot titles: what a reader sees in a chart
        fig = json.loads(chart_json(c))
        parts += [str(tr.get("name", "")) for tr in fig["data"] if tr.get("showlegend", True)]
        lay = fig.get("layout", {})
        parts += [str(lay.get(ax, {}).get("title", {}).get("text", "")) for ax in lay if ax.startswith(("xaxis", "yaxis"))]
        parts += [str(a.get("text", "")) for a in lay.get("annotations", [])]
    for d in at.dataframe:
        df = d.value
        if all(re.fullmatch(r"[a-z0-9_.]+", str(c)) for c in df.columns):
            continue   # the raw numbers behind the page (as in the CSV export): identifiers, not words
        parts.append(" ".join(map(str, df.columns)))
        parts += [" ".join(map(str, row)) for row in df.astype(str).itertuples(index=False)]
    parts += [str(m.label) + " " + str(m.value) for m in at.metric]
    parts += [str(b.label) for b in at.button] + [str(s.label) for s in at.selectbox]
    return "\n".join(parts)


@pytest.mark.parametrize("name,prefix", [("compare", "cmp"), ("explorer", "exp"), ("investment", "inv")])
@pytest.mark.parametrize("lang,foreign", [("da", ENGLISH), ("en", DANISH)])
def test_page_and_its_report_are_in_one_language(page, name, prefix, lang, foreign):
    from app_pages.common import REPORTS

    at = page(name, lang=lang)
    at.run()
    at.number_input(key=f"{prefix}_reps").set_value(REPS)
    at.number_input(key=f"{prefix}_jobs").set_value(1)
    if name == "investment":
        at.slider(key="inv_horizon").set_value(2)
    at.run()
    at.button(key=f"{prefix}_run").click().run()
    no_exception(at)
    shown = _page_text(at)
    assert charts(at) and len(shown) > 2000
    assert found(foreign, shown) == [], [shown[max(0, m.start() - 80):m.end() + 40] for w in found(foreign, shown)
                                         for m in re.finditer(rf"\b{w}\b", shown, re.I)][:5]
    report = at.session_state[REPORTS][f"{prefix}_dl_report"]().decode("utf-8")   # as on a click: no session
    assert f"<html lang='{lang}'>" in report
    words = re.sub(r"<script.*?</script>", " ", report, flags=re.S)   # plotly.js itself is English code
    words = re.sub(r"<[^>]+>", " ", words)
    assert found(foreign, words) == [], found(foreign, words)
