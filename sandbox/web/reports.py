"""The trainee's inbox and report page, the action forms on a report, and the pulse: the
one poll of every trainee page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, g, request, url_for
from sqlalchemy.exc import IntegrityError

from sandbox.domain.catalogue import Catalogue
from sandbox.domain.disclosure import trainee_notes
from sandbox.domain.errors import DomainError, RoleError, ValidationError
from sandbox.domain.identity import must_protect
from sandbox.domain.learning import phase_of
from sandbox.domain.session import SOLO_COMMANDS
from sandbox.domain.sla import joined_late, most_urgent
from sandbox.domain.workflow import (
    KATEGORI_LABELS,
    Action,
    ArchiveReason,
    Klasifikasi,
    Role,
    State,
    actions_for,
    check_actor,
    parse_action,
)
from sandbox.extensions import db
from sandbox.models import Complaint, Event, Participant
from sandbox.services.catalogue import get_catalogue
from sandbox.services.complaints import (
    NotFound,
    PageVersion,
    actor_on,
    get_complaint,
    holds_now,
    limits_of,
    open_complaint,
    page_version,
    record_action,
    report_view,
    state_counts,
    visible_complaints,
)
from sandbox.services.roles import own_unit, own_units, role_label
from sandbox.services.scoring import answers_withheld, cards_for_test, feedback_now, report_card
from sandbox.services.session_log import current_message
from sandbox.services.teams import seat_of
from sandbox.services.timekeeping import (
    SOLO_SPEEDS,
    calendar_of,
    control_solo_clock,
    joined_at,
    session_status,
)
from sandbox.web import error_page
from sandbox.web.htmx import is_htmx, redirect_to, render, replace_url, trigger
from sandbox.web.once import once

bp = Blueprint("reports", __name__)


def _state_filter(value: str | None) -> State | None:
    if not value:
        return None
    try:
        return State(value)
    except ValueError:
        return None


# The event the pulse sends when what the page shows (not only the message) changed; the
# inbox and the report workspace refresh themselves on it (hx-trigger "... from:body").
CONTENT_CHANGED = "lapor-berubah"


@bp.app_context_processor
def pulse_names() -> dict[str, Any]:
    return {"CONTENT_CHANGED": CONTENT_CHANGED}


@bp.app_template_global("page_version")
def current_page_version(participant: Participant) -> PageVersion:
    """The version base.html's pulse starts from: the one the view noted before reading
    what the page shows (`_note_page_version`), else read now."""
    noted: PageVersion | None = g.get("page_version")
    return noted if noted is not None else page_version(participant)


def _note_page_version() -> None:
    """Before a whole page reads its content, note its version: with PostgreSQL's
    per-statement snapshots a version read after the content could already include a
    change the page does not show, and the pulse would never announce it."""
    if not is_htmx():
        g.page_version = page_version(g.participant)


@bp.get("/denyut")
def pulse() -> Any:
    """Every trainee page's one poll ("denyut", pulse), sent with its page version.

    Nothing changed: 204, nothing read beyond the version. Otherwise the new pulse (with
    the new version), the message slot out of band when the broadcast changed, and the
    CONTENT_CHANGED event when what the page shows changed, for the page's own region to
    refresh itself.
    """
    participant = g.participant
    version = page_version(participant)
    seen = request.args.get("v", "")
    if seen == version.text:
        return "", 204  # htmx swaps nothing on a 204 (base.html's htmx-config)
    content_changed, message_changed = version.changes_since(seen)
    message_changed = message_changed and participant.exercise.mode == "workshop"
    response = render("reports/_pulse.html", version=version, message_changed=message_changed,
                      message=current_message(participant.exercise) if message_changed
                      else None)
    if content_changed:
        trigger(response, CONTENT_CHANGED)
    return response


@bp.get("/kotak-masuk")
def inbox() -> Any:
    _note_page_version()
    participant = g.participant
    exercise = participant.exercise
    status_arg = request.args.get("status")
    state = _state_filter(status_arg)
    complaints = visible_complaints(participant, state)
    status = session_status(exercise)
    now = status.now
    joined = joined_at(participant)
    catalogue = get_catalogue(exercise.region_file)
    return render(
        "reports/inbox.html", "reports/_inbox.html",
        complaints=complaints, counts=state_counts(participant), state=state,
        urgent={c.id: most_urgent(limits_of(c, now, joined, participant)) for c in complaints},
        joined=joined,
        calendar=calendar_of(exercise), timing=status,
        # Only the notes written for trainees: the others may name answers.
        notes=[n for n in trainee_notes((exercise.settings or {}).get("notes", []))
               if datetime.fromisoformat(n["at"]) <= now],
        unknown_filter=bool(status_arg) and state is None,
        catalogue=catalogue, now=now, exercise=exercise, speeds=SOLO_SPEEDS,
        lobby=not exercise.clock_changes,
        zone=catalogue.region.timezone, welcome=request.args.get("baru"),
        own_opd=participant.unit_name if own_unit(participant) else None,
        own_units=own_units(participant), seat=seat_of(participant),
        role=role_label(participant), team=participant.team,
    )


@bp.post("/jam/<kind>")
@once
def clock(kind: str) -> Any:
    """Pause, resume or change the speed of the trainee's own practice clock."""
    if kind not in SOLO_COMMANDS:
        return error_page(404, "Perintah jam tidak dikenal.")
    try:
        control_solo_clock(g.participant, kind, request.form.get("menit_per_hk"))
    except DomainError as error:
        db.session.rollback()
        return error_page(403 if error.field == "mode" else 400, error.message)
    db.session.commit()
    return redirect_to(url_for("reports.inbox"))


@bp.get("/laporan/<tracking_no>")
def report(tracking_no: str) -> Any:
    _note_page_version()
    complaint = open_complaint(g.participant, tracking_no)
    open_action = _open_action(complaint, request.args.get("aksi"))
    return render("reports/report.html", "reports/_workspace.html",
                  **_workspace(complaint, open_action))


@bp.get("/laporan/<tracking_no>/aksi/<action>")
def action_form(tracking_no: str, action: str) -> Any:
    _note_page_version()
    complaint = open_complaint(g.participant, tracking_no)
    try:  # no form for an action the trainee does not play (the reporter's, the system's)
        check_actor(actor_on(g.participant, complaint), parse_action(action))
    except RoleError as error:
        return error_page(403, error.message)
    except DomainError:
        pass  # an unknown action: the report, without a form
    open_action = _open_action(complaint, action)
    return render("reports/report.html", "reports/_workspace.html",
                  **_workspace(complaint, open_action))


@bp.post("/laporan/<tracking_no>/aksi/<action>")
def perform(tracking_no: str, action: str) -> Any:
    form = request.form.to_dict()
    idem_key = form.pop("idem_key", None)
    form.pop("csrf_token", None)
    seen = form.pop("versi", None)
    try:
        result = _record(tracking_no, action, form, idem_key, seen)
    except NotFound:
        raise
    except RoleError as error:  # the scripted reporter's or the system's action: refused
        db.session.rollback()
        return error_page(403, error.message)
    except ValidationError as error:
        return _form_error(tracking_no, action, error.errors, form, idem_key)
    except DomainError as error:
        return _form_error(tracking_no, action, {"_": error.message}, form, idem_key)
    db.session.commit()
    url = url_for("reports.report", tracking_no=tracking_no)
    notice = "Aksi ini sudah tercatat sebelumnya." if result.duplicate else (
        f"Tercatat: {Action(result.event.action).label}.")
    if is_htmx():
        # The form is closed: the address loses its ?aksi= so a reload does not reopen it.
        return replace_url(render("reports/report.html", "reports/_workspace.html",
                                  **_workspace(result.complaint, None, notice=notice,
                                               saved_action=Action(result.event.action)),
                                  pulse_version=page_version(g.participant)), url)
    return redirect_to(url)


def _record(tracking_no: str, action: str, form: dict[str, Any], idem_key: str | None,
            seen: str | None) -> Any:
    count = int(seen) if seen and seen.isascii() and seen.isdigit() and len(seen) < 7 else None
    try:
        return record_action(g.participant, tracking_no, action, form, idem_key, count)
    except IntegrityError:
        # Two submits with one key raced past each other (PostgreSQL): the winner's event
        # is the answer.
        db.session.rollback()
        return record_action(g.participant, tracking_no, action, form, idem_key, count)


def _form_error(tracking_no: str, action: str, errors: dict[str, str], values: dict[str, Any],
                idem_key: str | None) -> Any:
    db.session.rollback()
    complaint = get_complaint(g.participant, tracking_no)
    open_action = _open_action(complaint, action)
    # Mode tim: a teammate changed the report and the form no longer fits (it left their
    # hands): the reason, and what they wrote, shown so that nothing typed is lost.
    unsent = None if open_action is not None else {
        "message": errors.get("_") or "; ".join(errors.values()),
        "texts": [str(values[name]) for name in DRAFT_FIELDS if values.get(name)]}
    return render("reports/report.html", "reports/_workspace.html", status=422,
                  **_workspace(complaint, open_action, errors=errors, values=values,
                               idem_key=idem_key), unsent=unsent)


DRAFT_FIELDS = ("judul", "isi", "alasan", "pertanyaan", "catatan")


def _open_action(complaint: Complaint, name: str | None) -> Action | None:
    """The action whose form to show, if it names one this trainee may perform here."""
    if not name:
        return None
    try:
        action = Action(name)
    except ValueError:
        return None
    view = report_view(complaint)
    if not holds_now(g.participant, view):
        return None  # mode OPD or tim: not in their hands, no form to open
    return action if action in actions_for(view.state,
                                           actor_on(g.participant, complaint)) else None


def _workspace(complaint: Complaint, open_action: Action | None, *,
               errors: dict[str, str] | None = None, values: dict[str, Any] | None = None,
               idem_key: str | None = None, notice: str | None = None,
               saved_action: Action | None = None) -> dict[str, Any]:
    catalogue = get_catalogue(complaint.exercise.region_file)
    view = report_view(complaint)
    # Only what this trainee may perform: a scenario's script plays the reporter; in free
    # practice the trainee does (domain.workflow.ACTOR_ROLES).
    status = session_status(complaint.exercise)
    now = status.now
    joined = joined_at(g.participant)
    # Once the session is over nothing can be recorded, so no action is offered; while
    # paused the forms stay, to draft in (a submit is refused and the draft kept).
    # In mode OPD, only while the report is with the trainee's OPD.
    held = holds_now(g.participant, view)
    mine = [] if status.ended or not held else actions_for(view.state,
                                                           actor_on(g.participant, complaint))
    admin_actions = [a for a in mine if a.role != Role.PELAPOR]
    reporter_actions = [a for a in mine if a.role == Role.PELAPOR]
    # The trainee's own flags (not the answer key, which would give the answer away).
    identity_hidden = must_protect(complaint.reporter, rahasia=view.rahasia, anonim=view.anonim)
    return {
        "complaint": complaint,
        "view": view,
        "catalogue": catalogue,
        "zone": catalogue.region.timezone,
        "admin_actions": admin_actions,
        "reporter_actions": reporter_actions,
        "open_action": open_action,
        "errors": errors or {},
        "values": values or {},
        "idem_key": idem_key,
        "notice": notice,
        "saved_action": saved_action,
        "identity_hidden": identity_hidden,
        "timeline": [_describe(event, catalogue) for event in complaint.events],
        "now": now,
        "limits": limits_of(complaint, now, joined, g.participant),
        "joined_late": joined_late(complaint.arrived_at, joined),
        "feedback": _feedback(complaint),
        "withheld": answers_withheld(complaint.exercise, [complaint])[complaint.tracking_no],
        "calendar": calendar_of(complaint.exercise),
        "scripted": complaint.script is not None,
        "timing": status,
        "held": held,
        "own_units": own_units(g.participant),
        "seat": seat_of(g.participant),
        # Mode tim: how many events the person saw, sent back with the form (version check).
        "seen": len(complaint.events),
        # Mode tim: a report an admin penghubung sent back to this Admin Instansi, and why.
        "returned": complaint.events[-1] if held and view.state == State.BARU
        and complaint.events and complaint.events[-1].action == Action.KEMBALIKAN.value
        and own_units(g.participant) is None and seat_of(g.participant) is not None else None,
    }


def _feedback(complaint: Complaint) -> Any:
    """This report's score lines once the trainee has acted on it and the scenario allows it.

    Whether the answer itself may be shown is `withheld` (domain.disclosure): a tunda or
    a returned report shows its points, never the expected answer or its reason.
    """
    # Once the trainee has decided something (an Admin Instansi's decision; in mode OPD, a
    # kembalikan or TL of theirs), not on a simulated teammate's action.
    roles = {role.value for role in actor_on(g.participant, complaint).roles}
    decided = any(e.role in roles for e in complaint.events)
    # A test report (domain.learning) is scored on its test's own card, shown only once
    # the session has ended: a test must not teach its own answers.
    phase = phase_of(complaint.answer_key)
    if not decided or not feedback_now(complaint.exercise, phase is not None):
        return None
    card = report_card(g.participant) if phase is None else \
        cards_for_test(complaint.exercise, [g.participant], phase)[g.participant.id]
    return next((r for r in card.reports if r.tracking_no == complaint.tracking_no), None)


@bp.app_template_global("draft_key")
def draft_key(complaint: Complaint, action: Action) -> str:
    """Where the browser keeps the draft of one action form (static/js/app.js): per
    session, trainee, report and action; cleared once that action is saved."""
    return (f"lapor-draf:{complaint.exercise.code}:{g.participant.id}:"
            f"{complaint.tracking_no}:{action.value}")


@bp.app_template_filter("tes")
def test_label(complaint: Complaint) -> str | None:
    """«Tes awal» or «Tes akhir» for a test report, None for an exercise report."""
    phase = phase_of(complaint.answer_key)
    return phase.label if phase is not None else None


def _describe(event: Event, catalogue: Catalogue) -> dict[str, Any]:
    """A timeline entry: who did what, when, and the details worth showing."""
    payload = event.payload
    details: list[tuple[str, str]] = []
    action = Action(event.action)
    if action in (Action.VERIFIKASI, Action.KELOLA_SENDIRI):
        details += [("Judul", payload["judul"]),
                    ("Klasifikasi", Klasifikasi(payload["klasifikasi"]).label),
                    ("Kategori", KATEGORI_LABELS.get(payload["kategori"], payload["kategori"]))]
        flags = [name for name in ("rahasia", "anonim") if payload.get(name)]
        details.append(("Tanda", ", ".join(flags) if flags else "publik"))
        if payload.get("unit"):
            details.append(("Unit tujuan", catalogue.unit_name(payload["unit"])))
    elif action == Action.BUKAN_WEWENANG:
        details.append(("Diteruskan ke", catalogue.unit_name(payload["instansi"])))
    elif action == Action.ARSIPKAN:
        details.append(("Alasan", ArchiveReason(payload["alasan"]).label))
    elif action == Action.TUNDA:
        details.append(("Pertanyaan", payload["pertanyaan"]))
    elif action == Action.KEMBALIKAN:
        details.append(("Alasan", payload["alasan"]))
    elif action == Action.TINDAK_LANJUT:
        details.append(("Jenis", "Tindak lanjut akhir" if payload.get("akhir") else
                        "Tindak lanjut sementara"))
        details.append(("Isi", payload["isi"]))
    elif action == Action.PELAPOR_MENILAI:
        details.append(("Nilai", "★" * int(payload["bintang"])))
        if payload.get("isi"):
            details.append(("Isi", payload["isi"]))
    elif payload.get("isi"):
        details.append(("Isi", payload["isi"]))
    if payload.get("catatan"):
        details.append(("Catatan", payload["catatan"]))
    return {
        "event": event,
        "action": action,
        "role": Role(event.role),
        "state_after": State(event.state_after),
        "details": details,
    }

