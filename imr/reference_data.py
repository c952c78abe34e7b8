"""Kept for the IMR tests' fixtures: the reference data (the IMR deadline rules among it) is restored in one
place, `scr_portal.reference_data`."""

from scr_portal.reference_data import ensure_reference_data


def ensure_imr_rules() -> None:
    ensure_reference_data()
