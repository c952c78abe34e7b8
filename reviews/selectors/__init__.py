"""Reads about reviews, by aggregate: the review list and page (`review`), the panel's membership section
(`panel`), the reports (`reports`) and the terms of reference (`tor`). Other apps import `approved_tor`
from here."""

from .panel import executive_summary_membership
from .tor import approved_tor

__all__ = ["approved_tor", "executive_summary_membership"]
