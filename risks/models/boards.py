"""Boards (Risk and Assurance Board, Strategic Management Board, a Business Group COG, the Data
Board): the registers each oversees, its own register if it keeps one, its secretariat, and its
rules for which risks are significant enough for its summary.

A board lives here, beside the registers, so that anything in `risks` (an escalation to a
named board) can refer to it; its meetings' summaries are documents with markings and PDFs,
and live with the Audit Panel report in riskreg (riskreg/boards/).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..scoring import bands
from .appetite import HIGHEST_SCORE
from .registers import Post, Register
from .roles import is_planner, reads_everything


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BoardQuerySet":
        """The team and the Audit Panel see every board; a secretariat's members their own
        boards. Nobody else: a summary names risks of every register the board oversees."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(pk__in=Board.objects.filter(secretariat__holders=user).values("pk"))

    def managed_by(self, user) -> "BoardQuerySet":
        """Whose summaries `user` may compose: the team's, every board; else the boards
        whose secretariat they serve on."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_planner(user):
            return self
        return self.filter(pk__in=Board.objects.filter(secretariat__holders=user).values("pk"))


class Board(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(unique=True, help_text="Its address: /boards/<slug>/")
    description = models.TextField(blank=True)
    secretariat = models.ManyToManyField(
        Post, related_name="boards_served", blank=True,
        help_text="The posts whose holders compose the board's summaries.",
    )
    registers = models.ManyToManyField(
        Register, related_name="overseen_by", blank=True, verbose_name="registers it oversees",
    )
    own_register = models.OneToOneField(
        Register, null=True, blank=True, on_delete=models.PROTECT, related_name="owning_board",
        help_text="The register the board keeps itself (the Data Board's, for example): every "
        "risk in it is in the board's summary.",
    )
    # The rules: a risk of a register it oversees is significant when any of them holds.
    min_score = models.PositiveSmallIntegerField(
        "score at or above", null=True, blank=True,
        help_text="A current score from 1 to 16; empty for no score rule.",
    )
    bands = models.JSONField(
        "score bands", default=list, blank=True,
        help_text="Risks whose current score is in any of these bands.",
    )
    tolerance_breached = models.BooleanField(
        "risks in breach of their tolerance", default=True,
        help_text="Risks whose current score is above the tolerance their quarter recorded.",
    )
    # Example boards show the service beyond the seed; their pages say so.
    is_example = models.BooleanField(
        "example data", default=False,
        help_text="Made-up data to try the service with; labelled on every page that shows it.",
    )

    objects = BoardQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[secretariat, registers])

    class Meta:
        app_label = "risks"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_score__isnull=True)
                | Q(min_score__gte=1, min_score__lte=HIGHEST_SCORE),
                name="board_min_score_on_scale",
                violation_error_message="Enter a score from 1 to 16, or leave it empty",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:board", args=[self.slug])

    def clean(self) -> None:
        known = {band.key for band in bands()}
        if not isinstance(self.bands, list) or any(key not in known for key in self.bands):
            raise ValidationError({"bands": "Choose bands from the list"})

    def register_ids(self) -> list[int]:
        """The registers whose risks its summary draws on: those it oversees, and its own."""
        ids = list(self.registers.values_list("pk", flat=True))
        if self.own_register_id and self.own_register_id not in ids:
            ids.append(self.own_register_id)
        return ids

    def chosen_bands(self):
        return [band for band in bands() if band.key in (self.bands or [])]

    def significant(self) -> Q:
        """Which assessments (annotated with `current_score`) its rules pick: any rule that holds."""
        rules = Q(pk__in=[])
        if self.own_register_id:
            rules |= Q(risk__register_id=self.own_register_id)
        if self.min_score is not None:
            rules |= Q(current_score__gte=self.min_score)
        for band in self.chosen_bands():
            rules |= Q(current_score__gte=band.low, current_score__lte=band.high)
        if self.tolerance_breached:
            rules |= Q(tolerance__isnull=False, current_score__gt=models.F("tolerance"))
        return rules

    def reasons_for(self, assessment, register_id: int | None = None) -> list[str]:
        """Why its rules pick this update, in words (empty: they do not)."""
        reasons = []
        register_id = register_id if register_id is not None else assessment.risk.register_id
        if self.own_register_id and register_id == self.own_register_id:
            reasons.append("In the board's own register")
        score = assessment.score
        if score is not None:
            if self.min_score is not None and score >= self.min_score:
                reasons.append(f"Score {score} (at or above {self.min_score})")
            band = next((b for b in self.chosen_bands() if b.low <= score <= b.high), None)
            if band:
                reasons.append(f"{band.label} band")
            if self.tolerance_breached and assessment.in_breach:
                reasons.append(f"In breach: score {score} above tolerance {assessment.tolerance}")
        return reasons

    def rules_words(self) -> list[str]:
        """The rules as the summary prints them."""
        words = []
        if self.own_register_id:
            words.append("every risk in the board's own register")
        if self.min_score is not None:
            words.append(f"a current score of {self.min_score} or more")
        chosen = self.chosen_bands()
        if chosen:
            labels = [b.label for b in chosen]
            joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]
            words.append(f"a current score in the {joined} band{'s' if len(labels) > 1 else ''}")
        if self.tolerance_breached:
            words.append("a current score above the risk's tolerance")
        return words
