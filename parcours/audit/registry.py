from auditlog.registry import auditlog

MASKED = "[contenu confidentiel non journalisé]"


def redact(value):
    """Mask callable for sensitive fields: the trail records that they changed, not how."""
    return MASKED


ALL = "__all__"


def masked_fields(model):
    """The fields whose values the trail must not keep: `AUDIT_MASKED_FIELDS`, where
    ALL means every field but the keys (a person's file: names, dates, free text)."""
    masked = getattr(model, "AUDIT_MASKED_FIELDS", ())
    if masked == ALL:
        return [f.name for f in model._meta.concrete_fields if not (f.is_relation or f.primary_key)]
    return list(masked)


def register_case_models(*models):
    """Audit every create, change and delete of these models.

    A model lists its sensitive fields in `AUDIT_MASKED_FIELDS` (the trail then records
    that they changed, not their values) and the fields that must never reach the trail
    at all (password hashes) in `AUDIT_EXCLUDED_FIELDS`.
    """
    for model in models:
        auditlog.register(
            model,
            mask_fields=masked_fields(model),
            mask_callable="parcours.audit.registry.redact",
            exclude_fields=list(getattr(model, "AUDIT_EXCLUDED_FIELDS", ())),
        )
