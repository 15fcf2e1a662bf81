"""The report as a file to download (PDF, .xlsx, JSON) and the FSE+ participants'
spreadsheet, for the period and funder chosen on the report page."""

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404

from parcours import policy
from parcours.accounts.reauth import recent_auth_required
from parcours.audit.services import audit_bulk_reads, client_ip
from parcours.centres.models import Programme

from . import layout
from .exports import CONTENT_TYPES, fse_xlsx, report_json, report_pdf, report_xlsx
from .forms import PeriodForm
from .fse import fse_participants

EXPORTS = {"pdf": report_pdf, "xlsx": report_xlsx, "json": report_json}


def _bad_request(message):
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


def _period_error(period):
    details = " ".join(error for errors in period.errors.values() for error in errors)
    return _bad_request(
        "Période invalide : indiquez les dates sous la forme AAAA-MM-JJ, par exemple "
        f"?du=2025-01-01&au=2025-12-31, le début avant la fin. ({details})"
    )


def _attachment(content, *, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _programme(request, programme_pk):
    programmes = Programme.objects.of_member_centres(request.user).of_centre(request.centre)
    return get_object_or_404(programmes, pk=programme_pk)


@policy.centre_rule(policy.can_view_reports)
def export(request, programme_pk):
    """`?du=&au=&format=pdf|xlsx|json&financeur=`; the current calendar year by default,
    as on the report page."""
    programme = _programme(request, programme_pk)
    file_format = request.GET.get("format", "pdf")
    if file_format not in EXPORTS:
        return _bad_request("Format d'export inconnu : choisissez pdf, xlsx ou json.")
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return _period_error(period)
    start, end = period.cleaned_data["du"], period.cleaned_data["au"]
    report = layout.compute(
        centre=request.centre,
        programme=programme,
        start=start,
        end=end,
        funder=period.cleaned_data["financeur"] or "",
    )
    layout.report_narratives(report, request.centre, programme)
    return _attachment(
        EXPORTS[file_format](report),
        content_type=CONTENT_TYPES[file_format],
        filename=f"bilan-{programme.slug}-{start:%Y-%m-%d}-{end:%Y-%m-%d}.{file_format}",
    )


@policy.centre_rule(policy.can_export_people)
@recent_auth_required
def fse_export(request, programme_pk):
    """One row per participant with the FSE+ indicators: no names, but exact ages, dates
    and incomes (AAH tells of a disability). The coordinator only, and each participant
    in it is an audited read."""
    programme = _programme(request, programme_pk)
    period = PeriodForm(request.GET)
    if not period.is_valid():
        return _period_error(period)
    start, end = period.cleaned_data["du"], period.cleaned_data["au"]
    rows = fse_participants(centre=request.centre, programme=programme, start=start, end=end)
    audit_bulk_reads(
        person_ids={row.person_id for row in rows},
        by=request.user,
        centre=request.centre,
        via="export FSE+",
        remote_addr=client_ip(request),
    )
    return _attachment(
        fse_xlsx(rows),
        content_type=CONTENT_TYPES["xlsx"],
        filename=f"bilan-{programme.slug}-{start:%Y-%m-%d}-{end:%Y-%m-%d}-fse.xlsx",
    )
