"""django-axes reads the account being tried from here: allauth authenticates with `email=`, while the
sign-in form posts it as `login`."""


def username_from_request(request, credentials: dict | None) -> str | None:
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and hasattr(request, "POST"):
        value = request.POST.get("login")
    return value.strip().lower() if value else None
