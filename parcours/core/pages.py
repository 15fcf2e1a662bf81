from django.shortcuts import render


def form_page(request, form, *, heading, cancel_url, lead=""):
    """The one page every simple form of the app uses: a heading, the form (grouped in
    fieldsets when it declares them), Enregistrer and Annuler."""
    return render(
        request,
        "form_page.html",
        {"form": form, "heading": heading, "cancel_url": cancel_url, "lead": lead},
        # 409 when a locked form met someone else's save (parcours.core.locking).
        status=getattr(form, "response_status", 200),
    )
