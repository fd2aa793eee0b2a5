"""The Planning & Risk Team's writes to the register itself: risks, posts and who holds them,
pillars and registers. Each is one transaction that records who and why in the history, and
each edit of a risk applies to the open quarter onward (record_definitions): a closed quarter
keeps what it recorded.

Every edit is checked against what the person started from: the form carries digest() of the
row as it was shown, and a row changed since is not overwritten (StaleVersion, with the row as
it is now), as the appetite page does.
"""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError

from .history import keep_baseline
from .locking import StaleVersion
from .models import (
    Assessment,
    AssessmentPillar,
    Pillar,
    Post,
    Register,
    ReportingPeriod,
    Risk,
    RiskLead,
)
from .services import lock_open_period, record_definitions, start_assessment

# What a risk's form edits: the definition the open quarter records (the appetite has its
# own page, retiring and reinstating their own confirmation).
RISK_FIELDS = (
    "ref", "title", "description", "description_agreed", "horizon", "owner",
    "target_likelihood", "target_impact",
)


def digest(values) -> str:
    """A short fingerprint of what a form showed, to tell whether it changed since."""
    text = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def risk_digest(risk: Risk) -> str:
    return digest({
        **{name: getattr(risk, f"{name}_id" if name == "owner" else name) for name in RISK_FIELDS},
        "register": risk.register_id,
        "leads": list(RiskLead.objects.filter(risk=risk).order_by("order", "pk")
                      .values_list("post_id", flat=True)),
        "pillars": sorted(risk.pillars.values_list("pk", flat=True)),
        "is_active": risk.is_active,
    })


def post_digest(post: Post) -> str:
    return digest({"name": post.name, "holders": sorted(post.holders.values_list("pk", flat=True))})


def pillar_digest(pillar: Pillar) -> str:
    return digest({"name": pillar.name, "order": pillar.order})


def register_digest(register: Register) -> str:
    values = {"name": register.name, "parent": register.parent_id,
              "description": register.description}
    hierarchy = {"kind": register.kind, "owner_post": register.owner_post_id,
                 "lead_post": register.lead_post_id, "at": register.escalate_at_score,
                 "breach": register.escalate_on_breach}
    # A register as it stood before the hierarchy keeps its digest (pages opened then).
    if hierarchy != {"kind": "corporate", "owner_post": None, "lead_post": None, "at": None,
                     "breach": False}:
        values |= hierarchy
    return digest(values)


def _open_period() -> ReportingPeriod | None:
    period = ReportingPeriod.objects.open().first()
    return lock_open_period(period.pk) if period is not None else None


def _check(current, was: str | None, digest_of) -> None:
    if was is not None and digest_of(current) != was:
        raise StaleVersion(current)


@transaction.atomic
def save_risk(
    *, risk: Risk | None, register: Register | None = None, fields: dict, leads: list[Post],
    pillars: list[Pillar], was: str | None = None, by,
) -> Risk:
    """Add a risk to `register` (risk None) or change one: its definition, its working leads in
    order and its pillars, recorded once in its history. The open quarter's record of it
    follows; a new risk gets its draft update there at once ("new this quarter")."""
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise ValueError(f"Not a field of the risk's form: {', '.join(sorted(unknown))}")
    if len({post.pk for post in leads}) != len(leads):
        raise ValidationError("A post can be a working lead of a risk only once")
    period = _open_period()
    if risk is None:
        current, reason = Risk(register=register), "Added"
    else:
        current, reason = Risk.objects.select_for_update().get(pk=risk.pk), "Changed"
        _check(current, was, risk_digest)
        keep_baseline(current)
    for name, value in fields.items():
        setattr(current, name, value)
    try:
        with transaction.atomic():
            # The leads and pillars are written first, without a record of their own, so that
            # the one record of this change holds all of it.
            current.skip_history_when_saving = True
            current.save()
            current.pillars.set(pillars)
            _set_leads(current, leads, by=by)
    except IntegrityError:
        raise ValidationError(
            f"Risk {current.ref} already exists in {current.register}: choose another number"
        ) from None
    finally:
        del current.skip_history_when_saving
    current._history_user, current._change_reason = by, reason
    current.save()
    if period is not None:
        if risk is None:
            start_assessment(risk=current, period=period, by=by)
        record_definitions(period=period, risks=[current.pk])
    return current


def _set_leads(risk: Risk, posts: list[Post], *, by) -> None:
    """The working leads in this order; each link added, moved or removed is in its history."""
    links = {link.post_id: link for link in RiskLead.objects.filter(risk=risk)}
    wanted = [post.pk for post in posts]
    for post_id, link in links.items():
        if post_id not in wanted:
            link._history_user, link._change_reason = by, "Removed"
            link.delete()
    for order, post_id in enumerate(wanted):
        link = links.get(post_id) or RiskLead(risk=risk, post_id=post_id)
        if link.pk is None or link.order != order:
            link.order = order
            link._history_user = by
            link._change_reason = "Added" if link.pk is None else "Moved"
            link.save()


@transaction.atomic
def save_post(*, post: Post | None, name: str, holders, was: str | None = None, by) -> Post:
    """Add or change a post: its name and who holds it. Risks follow a renamed post in the open
    quarter's record (its owner and leads are named there)."""
    if post is None:
        current, renamed = Post(), False
    else:
        current = Post.objects.select_for_update().get(pk=post.pk)
        _check(current, was, post_digest)
        keep_baseline(current)
        renamed = current.name != name
    current.name = name
    try:
        with transaction.atomic():
            current.skip_history_when_saving = True
            current.save()
            current.holders.set(holders)
    except IntegrityError:
        raise ValidationError(f"There is already a post called {name}") from None
    finally:
        del current.skip_history_when_saving
    current._history_user = by
    current._change_reason = "Added" if post is None else "Changed"
    current.save()
    period = _open_period() if renamed else None
    if period is not None:
        risks = Risk.objects.filter(Q(owner=current) | Q(leads=current)).values_list("pk", flat=True)
        record_definitions(period=period, risks=set(risks))
    return current


def post_uses(post: Post) -> list[str]:
    """What still refers to the post (besides its holders), in words: a post in use is never
    deleted, so that no risk, control, unit or past quarter loses its owner."""
    uses = []
    owned = list(Risk.objects.filter(owner=post).order_by("register", "ref")[:5])
    if owned:
        uses.append("it owns " + ", ".join(f"risk {r.ref} {r.title}" for r in owned))
    led = list(Risk.objects.filter(leads=post).order_by("register", "ref")[:5])
    if led:
        uses.append("it is a working lead of " + ", ".join(f"risk {r.ref} {r.title}" for r in led))
    for relation in post._meta.get_fields(include_hidden=True):
        model = relation.related_model
        if not (relation.auto_created and not relation.concrete) or model in (Risk, RiskLead):
            continue
        # Who held the post goes with it; history keeps its own copy of everything.
        if model._meta.auto_created or model.__name__.startswith("Historical"):
            continue
        if model._base_manager.filter(**{relation.field.name: post}).exists():
            # Apps built on risks are named by their models' own words: risks imports none.
            uses.append(
                "quarterly updates record it as a risk owner" if model is Assessment
                else f"{model._meta.verbose_name_plural} name it"
            )
    # Keep the list short and unique: several record tables share a verbose name.
    return list(dict.fromkeys(uses))


@transaction.atomic
def delete_post(*, post: Post, by) -> None:
    """Delete a post nobody's risk, control, unit or record refers to; refuse otherwise."""
    current = Post.objects.select_for_update().filter(pk=post.pk).first()
    if current is None:
        return
    keep_baseline(current)
    uses = post_uses(current)
    if uses:
        raise ValidationError(f"{current.name} cannot be deleted: " + "; ".join(uses))
    current._history_user, current._change_reason = by, "Deleted"
    try:
        current.delete()
    except (ProtectedError, RestrictedError):
        raise ValidationError(f"{current.name} cannot be deleted: it is still in use") from None


@transaction.atomic
def save_pillar(*, pillar: Pillar | None, name: str, order: int, was: str | None = None, by) -> Pillar:
    """Add or change a pillar. A quarter's record names its pillars by reference, so a pillar
    that a closed quarter recorded keeps its name and place: renaming it would rewrite that
    quarter's alignment table (and its paper)."""
    if pillar is None:
        current = Pillar()
    else:
        current = Pillar.objects.select_for_update().get(pk=pillar.pk)
        _check(current, was, pillar_digest)
        if (current.name, current.order) != (name, order):
            closed = AssessmentPillar.objects.filter(
                pillar=current, period__state=ReportingPeriod.State.CLOSED
            ).select_related("period").order_by("-period__start").first()
            if closed is not None:
                raise ValidationError(
                    f"{closed.period} is closed and recorded risks under this pillar as it is "
                    "named and placed now, so it cannot change: add a new pillar and align the "
                    "risks with it from the open quarter onward"
                )
        keep_baseline(current)
    current.name, current.order = name, order
    current._history_user = by
    current._change_reason = "Added" if pillar is None else "Changed"
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError(f"There is already a pillar called {name}") from None
    return current


@transaction.atomic
def save_register(
    *, register: Register | None, name: str, slug: str = "", parent: Register | None,
    description: str, was: str | None = None, by, **hierarchy,
) -> Register:
    """Add a register or change one (its web address, once given, stays: people bookmark it).
    `hierarchy`: any of kind, owner_post, lead_post, escalate_at_score and escalate_on_breach
    (those not given stay as they are)."""
    if register is None:
        current = Register(slug=slug)
    else:
        current = Register.objects.select_for_update().get(pk=register.pk)
        _check(current, was, register_digest)
        if current.name != name and Assessment.objects.filter(
            risk__register=current, period__state=ReportingPeriod.State.CLOSED
        ).exists():
            # Its closed quarters' pages and papers name it: they would say something new.
            raise ValidationError(
                "A closed quarter's register and report name this register as it is, so its "
                "name cannot change"
            )
        keep_baseline(current)
    ancestor = parent
    while ancestor is not None:
        if current.pk is not None and ancestor.pk == current.pk:
            raise ValidationError("A register cannot sit under itself or a register beneath it")
        ancestor = ancestor.parent
    current.name, current.parent, current.description = name, parent, description
    for field in ("kind", "owner_post", "lead_post", "escalate_at_score", "escalate_on_breach"):
        if field in hierarchy:
            setattr(current, field, hierarchy[field])
    current._history_user = by
    current._change_reason = "Added" if register is None else "Changed"
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ValidationError(f"There is already a register at /registers/{slug}/") from None
    return current
