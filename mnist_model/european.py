"""A European hand: a 1 written with a long up-stroke before its stem, a 7 with a bar across its stem.

UNIPEN's writers mostly write a 1 as one bar and a 7 without a bar; people on the pad often do not.
A network with the 11th answer learns letters such as f, n, r, A, P, Y as "not a digit", and a 1
with a long up-stroke sits close to them: it is refused. Restyling pen-written 1s and 7s shows the
network such digits with their right labels.

- `flagged` restyles one way, always the same: bench/class_teaching and bench/not_a_digit build
  their "European hand" test population with it, from held-out people's digits.
- `restyled` varies the up-stroke's length and angle and the bar's length and height from a
  generator, so that training (pen_digits, on the training people's digits only) does not learn
  the one shape the benches measure.

Strokes are as pen_digits stores them: screen orientation (y down), the digit's longer side 1.
"""

import numpy as np

VERSION = 1  # bump when what flagged or restyled draws changes: the training drawings kept on disk hold it

# flagged's geometry, each as a share of the digit's height
UP_REACH, UP_DROP = 0.45, 0.4  # the up-stroke starts this far left of the 1's top, and this far below it
BAR_HEIGHT = 0.55  # the bar crosses the 7's stem this far down from its top
BAR_HALF = 0.22  # half the bar's length, as a share of the 7's width (or of half its height, if wider)
BAR_BAND = 0.08  # the stem is found among the points this close to the bar's height
BAR_MIN_HALF = 0.12  # the shortest half-bar, however thin the 7

# restyled's ranges around them (uniform): an up-stroke from a short tick to a long one that starts
# three quarters of the way down (the training people's own up-strokes, where they write them, reach
# 0.22 to 0.55 left and 0.22 to 0.58 down, 10th to 90th percentile; some people go further: ranges
# that stopped at 0.65 and 0.55 left most of the refused long-stroke 1s refused); a bar from short
# to wide, from a little above the middle to a little below
UP_REACHES, UP_DROPS = (0.25, 0.75), (0.2, 0.75)
BAR_HEIGHTS, BAR_HALVES = (0.45, 0.65), (0.15, 0.32)


def flagged(strokes, label, reach=UP_REACH, drop=UP_DROP, height=BAR_HEIGHT, half_bar=BAR_HALF):
    """A 1 given a long up-stroke, a 7 given a bar across its stem: the digit otherwise as written.
    Other digits, and a 7 with no stroke at the bar's height, come back as they are."""
    points = np.concatenate(strokes)
    low, high = points.min(0), points.max(0)
    tall = max(high[1] - low[1], 1e-3)
    if label == 1:
        top = points[np.argmin(points[:, 1])]
        return [np.array([[top[0] - reach * tall, top[1] + drop * tall], top], np.float32), *strokes]
    if label == 7:
        middle = low[1] + height * tall
        near = points[np.abs(points[:, 1] - middle) < BAR_BAND * tall]
        if len(near):
            x, half = near[:, 0].mean(), max(half_bar * max(high[0] - low[0], 0.5 * tall), BAR_MIN_HALF * tall)
            return [*strokes, np.array([[x - half, middle], [x + half, middle]], np.float32)]
    return strokes


def restyled(strokes, label, rng: np.random.Generator):
    """`flagged` with its geometry drawn from `rng` (four draws, whatever the label, so that a digit's
    restyling does not depend on which other digits are restyled with the same generator)."""
    reach, drop, height, half_bar = (rng.uniform(*UP_REACHES), rng.uniform(*UP_DROPS), rng.uniform(*BAR_HEIGHTS),
                                     rng.uniform(*BAR_HALVES))
    return flagged(strokes, label, reach, drop, height, half_bar)
