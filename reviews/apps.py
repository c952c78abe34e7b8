from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from referrals.decisions import register_decision_follower, register_rescind
        from scr_portal.clock.recipients import register_panel_chair_resolver
        from scr_portal.reference_data import register_seed_migration
        from scr_portal.selectors import register_case_boards

        from . import frameworks, records
        from .recipients import panel_boards, panel_chairs_of_deadlines
        from .services.create import review_follow_decision
        from .services.rescind import review_rescind_blocker, review_undo_decision

        register_panel_chair_resolver(panel_chairs_of_deadlines)
        register_decision_follower(review_follow_decision)
        register_rescind(blocker=review_rescind_blocker, undo=review_undo_decision)
        records.register()
        frameworks.register()
        register_case_boards(panel_boards)
        register_seed_migration("reviews.migrations.0004_seed_ofsted_elements")
        register_seed_migration("reviews.migrations.0010_publication_holds")
        register_seed_migration("reviews.migrations.0012_draft_destruction")
