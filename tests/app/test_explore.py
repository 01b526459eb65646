"""Explore's handlers, called as the page calls them: plain values in and out."""

import base64
import io
import re

import numpy as np
from PIL import Image

from app_server.visitors import Visitor
from app_ui import visual
from app_ui.explore_tab import explore
from support.strokes import data_url, pad_png


def pictures(html: str) -> list[np.ndarray]:
    return [np.asarray(Image.open(io.BytesIO(base64.b64decode(src))))
            for src in re.findall(r'src="data:image/png;base64,([^"]+)"', html)]


def test_the_selected_units_detail_shows_the_weights_of_the_frame_the_gallery_shows():
    visitor = Visitor()
    rng = np.random.default_rng(0)
    before, after = (rng.normal(size=(16, 784)).astype(np.float16) for _ in range(2))
    visitor.put("frames", [("before", before), ("1", after)])
    drawing = data_url(pad_png(4))
    for shown, weights, words in ((0, before, "before training"), (1, after, "after epoch 1")):
        _, detail, _ = explore(drawing, visitor, 3, shown, "en")
        assert words in detail and "activation" not in detail  # (the active model's activation is not theirs)
        expected = visual.enlarge(visual.diverging(weights[3].astype(np.float32).reshape(28, 28)), 6)
        assert np.array_equal(pictures(detail)[0], expected)
    _, detail, _ = explore(drawing, visitor, 3, None, "en")  # the gallery shows the active model (shipped)
    assert "activation" in detail and not np.array_equal(pictures(detail)[0], expected)


def test_explores_gallery_is_made_only_for_a_page_that_opened_explore():
    """A class's phones, sent the class's model, fetched 117 KB of weights' pictures they never looked at."""
    from app_ui.explore_tab import first_look, followed

    assert followed(None, False) == {} and "gallery" in followed(None, True)
    assert first_look(None, False)["opened"] is True and first_look(None, True) == {}
