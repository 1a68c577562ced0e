"""File jobs pickle, as a worker process receives them, and keep their caption."""

from __future__ import annotations

import pickle

from bot.i18n import Html
from bot.views import charts
from bot.views.files import chart_photo, with_caption
from tests.unit.views.test_charts import report


def test_a_captioned_chart_pickles_and_draws_with_its_caption() -> None:
    job = with_caption(chart_photo(charts.channel_chart, report(), lang="zh"), Html("<b>📈</b>"))
    (photo,) = pickle.loads(pickle.dumps(job))()
    assert photo.photo and photo.caption == "<b>📈</b>" and photo.content[:4] == b"\x89PNG"
