from auditlog.registry import auditlog
from django.db import models

MASKED = "[contenu confidentiel non journalisé]"


def redact(value):
    """Mask callable for sensitive fields: the trail records that they changed, not how."""
    return MASKED


ALL = "__all__"


def free_text_fields(model):
    """The fields a user types as they like (a CharField or TextField with no list
    of choices): names, notes, who else sat at a case review. Whatever the model,
    their values may tell about a person, so the trail never keeps them."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not (f.choices or f.is_relation or f.primary_key)
    ]


def masked_fields(model):
    """The fields whose values the trail must not keep: every free-text field, and
    `AUDIT_MASKED_FIELDS`, where ALL means every field but the keys (a person's file:
    names, dates, free text)."""
    masked = getattr(model, "AUDIT_MASKED_FIELDS", ())
    if masked == ALL:
        return [f.name for f in model._meta.concrete_fields if not (f.is_relation or f.primary_key)]
    return list(dict.fromkeys([*masked, *free_text_fields(model)]))


def register_case_models(*models):
    """Audit every create, change and delete of these models.

    Free-text fields are masked (the trail then records that they changed, not their
    values); a model lists its other sensitive fields in `AUDIT_MASKED_FIELDS`, and
    the fields that must never reach the trail at all (password hashes) in
    `AUDIT_EXCLUDED_FIELDS`.
    """
    for model in models:
        auditlog.register(
            model,
            mask_fields=masked_fields(model),
            mask_callable="parcours.audit.registry.redact",
            exclude_fields=list(getattr(model, "AUDIT_EXCLUDED_FIELDS", ())),
        )
