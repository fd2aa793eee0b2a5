"""Board summaries: the boards, a board's meetings, a meeting's summary (page and PDF), and its
composition by the Planning & Risk Team and the board's secretariat.

Who may do what (risks.models.Board / BoardSummary.objects.visible_to):
- the team: every board and summary, drafts included; composes and publishes;
- a board's secretariat (holders of its secretariat posts): the same, for that board;
- the Audit Panel: every board's published summaries, to read;
- anyone else, board members and risk owners included: no board at all (404). A summary names
  the significant risks of every register the board oversees, which an owner could not
  otherwise read; a member who reads them is given a secretariat post or the Panel's role.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods

from risks.models import Board, is_planner

from ..report.document import for_preview
from . import document
from .forms import ChoiceForm, NewSummaryForm, PublishForm, SummaryForm
from .models import BoardSummary
from .rows import candidates
from .services import (
    SummaryConflict,
    SummaryPublished,
    choose_risk,
    create_summary,
    publish_summary,
    undo_choice,
    update_summary,
)


def get_board_for_user(request: HttpRequest, slug: str) -> Board:
    return get_object_or_404(
        Board.objects.visible_to(request.user).select_related("own_register"), slug=slug
    )


def can_manage(user, board: Board) -> bool:
    return Board.objects.managed_by(user).filter(pk=board.pk).exists()


def get_summary_for_user(request: HttpRequest, slug: str, pk: int, *, edit: bool = False
                         ) -> BoardSummary:
    """404 outside the person's scope (a draft, for the Panel); 403 for a reader's edit."""
    summary = get_object_or_404(
        BoardSummary.objects.visible_to(request.user).select_related(
            "board__own_register", "period", "published_by"
        ),
        pk=pk, board__slug=slug,
    )
    if edit and not can_manage(request.user, summary.board):
        raise PermissionDenied("Only the Planning & Risk Team and the board's secretariat can "
                               "change a board summary.")
    return summary


@require_http_methods(["GET"])
def board_list(request: HttpRequest) -> HttpResponse:
    boards = Board.objects.visible_to(request.user).prefetch_related("registers", "secretariat")
    return render(request, "riskreg/boards/board_list.html", {
        "boards": boards, "planner": is_planner(request.user),
    })


@require_http_methods(["GET"])
def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board_for_user(request, slug)
    manage = can_manage(request.user, board)
    summaries = BoardSummary.objects.visible_to(request.user).filter(board=board).select_related(
        "period"
    )
    return render(request, "riskreg/boards/board_detail.html", {
        "board": board,
        "registers": list(board.registers.all()),
        "secretariat": list(board.secretariat.all()),
        "summaries": summaries,
        "can_manage": manage,
        "form": NewSummaryForm() if manage else None,
    })


@require_http_methods(["GET", "POST"])
def summary_new(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_board_for_user(request, slug)
    if not can_manage(request.user, board):
        raise PermissionDenied("Only the Planning & Risk Team and the board's secretariat can "
                               "start a board summary.")
    form = NewSummaryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            summary = create_summary(
                board=board, period=form.cleaned_data["period"],
                meeting_date=form.cleaned_data["meeting"],
                protective_marking=form.cleaned_data["protective_marking"], by=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Summary started: it is a draft until you publish it.")
            return redirect(summary)
    return render(request, "riskreg/boards/summary_new.html", {"board": board, "form": form},
                  status=400 if form.errors else 200)


@require_http_methods(["GET"])
def summary_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    summary = get_summary_for_user(request, slug, pk)
    rendered = document.render(summary)
    manage = not summary.is_published and can_manage(request.user, summary.board)
    return render(request, "riskreg/boards/summary_detail.html", {
        "summary": summary, "board": summary.board, "body": _preview(rendered),
        "can_manage": manage,
    })


def _preview(rendered: document.Rendered):
    """The document as its page shows it: its title a level-2 heading under the page's <h1>."""
    return mark_safe(for_preview(rendered.body))  # noqa: S308 - our own HTML, fixed elements


def _summary_form(summary: BoardSummary, data=None) -> SummaryForm:
    return SummaryForm(data, initial={
        "version": summary.version, "meeting": summary.meeting_date,
        "protective_marking": summary.protective_marking, "notes": summary.notes,
    })


@require_http_methods(["GET", "POST"])
def summary_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    summary = get_summary_for_user(request, slug, pk, edit=True)
    if summary.is_published:
        messages.info(request, "This summary is published: it can no longer change.")
        return redirect(summary)
    risks = candidates(summary)
    posted = request.POST.get("form") if request.method == "POST" else None
    form = _summary_form(summary, request.POST if posted == "details" else None)
    choice_form = ChoiceForm(request.POST if posted == "choice" else None, risks=risks)
    status = 200
    page_errors: list[str] = []
    try:
        if posted == "details" and form.is_valid():
            update_summary(
                summary=summary, version=form.cleaned_data["version"], by=request.user,
                meeting_date=form.cleaned_data["meeting"],
                protective_marking=form.cleaned_data["protective_marking"],
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, "Summary saved.")
            return redirect(summary)
        if posted == "choice" and choice_form.is_valid():
            choice = choose_risk(
                summary=summary, risk=choice_form.cleaned_data["risk"],
                action=choice_form.cleaned_data["action"],
                reason=choice_form.cleaned_data["reason"], by=request.user,
            )
            messages.success(request, f"Risk {choice.risk.ref} {choice.get_action_display().lower()}.")
            return redirect("boards:summary-edit", summary.board.slug, summary.pk)
        if posted == "undo":
            choice_id = request.POST.get("choice", "")
            if not choice_id.isascii() or not choice_id.isdigit() or len(choice_id) > 12:
                raise ValidationError("Choose a recorded choice to undo.")
            undo_choice(summary=summary, choice_id=int(choice_id), by=request.user)
            messages.success(request, "Choice undone.")
            return redirect("boards:summary-edit", summary.board.slug, summary.pk)
        if posted not in (None, "details", "choice"):
            raise ValidationError("Use the buttons on this page to change the summary.")
    except SummaryPublished:
        messages.info(request, "This summary was published meanwhile: it can no longer change.")
        return redirect(summary)
    except SummaryConflict as exc:
        form.add_error(None, exc)
        status = 409
    except ValidationError as exc:
        target = {"choice": choice_form, "details": form}.get(posted)
        if target is None:  # an undo, or a form this page does not have
            page_errors = exc.messages
        elif hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                target.add_error(name if name in target.fields else None, errors)
        else:
            target.add_error(None, exc)
        status = 400
    if request.method == "POST" and status == 200:
        status = 400  # a form with errors
    rendered = document.render(summary)
    return render(request, "riskreg/boards/summary_form.html", {
        "summary": summary, "board": summary.board, "form": form, "choice_form": choice_form,
        "body": _preview(rendered),
        "choices": rendered.data.choices if rendered.data else [],
        "page_errors": page_errors,
    }, status=status)


@require_http_methods(["GET", "POST"])
def summary_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    summary = get_summary_for_user(request, slug, pk, edit=True)
    if summary.is_published:
        messages.info(request, "This summary is already published: it can no longer change.")
        return redirect(summary)
    form = PublishForm(request.POST or None, initial={"version": summary.version})
    if request.method == "POST" and form.is_valid():
        try:
            publish_summary(summary=summary, version=form.cleaned_data["version"], by=request.user)
        except SummaryConflict:
            messages.error(request, "The summary changed since you opened it. Check it, then publish.")
            return redirect("boards:summary-publish", summary.board.slug, summary.pk)
        except SummaryPublished:
            messages.info(request, "This summary was published meanwhile.")
            return redirect(summary)
        messages.success(request, "Summary published: its page and PDF are now fixed.")
        return redirect(summary)
    rendered = document.render(summary)
    return render(request, "riskreg/boards/summary_publish.html", {
        "summary": summary, "board": summary.board, "form": form, "data": rendered.data,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def summary_pdf(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    summary = get_summary_for_user(request, slug, pk)
    response = HttpResponse(document.pdf_bytes(summary), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{summary.filename()}"'
    return response
