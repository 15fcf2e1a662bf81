from auditlog.registry import auditlog

MASKED = "[contenu confidentiel non journalisé]"


def redact(value):
    """Mask callable for sensitive fields: the trail records that they changed, not how."""
    return MASKED


def register_case_models(*models):
    """Audit every create, change and delete of these models.

    A model lists its sensitive fields in `AUDIT_MASKED_FIELDS` and the fields that must
    never reach the trail at all (password hashes) in `AUDIT_EXCLUDED_FIELDS`.
    """
    for model in models:
        auditlog.register(
            model,
            mask_fields=list(getattr(model, "AUDIT_MASKED_FIELDS", ())),
            mask_callable="parcours.audit.registry.redact",
            exclude_fields=list(getattr(model, "AUDIT_EXCLUDED_FIELDS", ())),
        )
