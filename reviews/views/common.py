"""What every review page shares: fetching with access checked, the page's own 403 explanation, and the
form page (GET shows; a valid POST calls one service, a refusal goes back on the form with everything
typed kept, success redirects with a message: post/redirect/get)."""

import functools

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse


def explains_refusal(view):
    """Show why an action was refused (for example "Only the LSCB Chair can approve…") on the 403 page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            return render(request, "reviews/forbidden.html", {"reason": str(refusal)}, status=403)

    return wrapped


def to_review(review, anchor: str = ""):
    return redirect(reverse("review_detail", args=[review.pk]) + (f"#{anchor}" if anchor else ""))


def form_page(request, *, review, form, apply, heading: str, button: str, success_url=None, **context):
    """The form page of one action. `apply(data)` calls the service and returns the success message, or
    (message, warnings)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = apply(form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            message, warnings = result if isinstance(result, tuple) else (result, [])
            messages.success(request, message)
            for warning in warnings:
                messages.warning(request, warning)
            return redirect(success_url) if success_url else to_review(review)
    return render(
        request,
        context.pop("template", "reviews/form_page.html"),
        {
            "review": review,
            "form": form,
            "heading": heading,
            "button": button,
            "review_url": reverse("review_detail", args=[review.pk]),
            **context,
        },
    )


def long_date(day) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"
