"""The statutory clock: the one place where deadlines are computed, opened, met, extended, cancelled and
chased. Workflows call `scr_portal.clock.services`; nothing else writes a Deadline."""
