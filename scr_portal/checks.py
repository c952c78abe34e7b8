"""Start-up checks (`manage.py check`, and every `runserver`/`migrate`)."""

from django.core import checks


@checks.register()
def frameworks_declared(app_configs, **kwargs):
    """Every framework names real stages, transitions, rules and wording (scr_portal.frameworks)."""
    from . import frameworks

    return [checks.Error(problem, id="scr_portal.E020") for problem in frameworks.problems()]
