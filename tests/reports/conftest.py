"""The reviews tests' personas and frozen clock, reused by the report tests."""

from tests.reviews.conftest import (  # noqa: F401
    frozen_time,
    imr_author_x,
    imr_author_y,
    journey,
    media,
    ofsted_elements,
    overview_author,
    panel_chair,
    review,
)
