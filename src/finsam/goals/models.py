"""Goals (business plan commitments), the structural-work registers, and surveys.

A commitment may take a figure the system holds as its measure (measures.py computes the outcome and a
suggested status for a period); the office then confirms or overrides the status with a comment, and both the
suggestion and the decision are kept.

Surveys are anonymous: an answer link is a random token, a response keeps only its survey, its date and the
answers, and a single-use link keeps only that it was used (never which response it gave).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finsam.organisation.models import Association, Intervention

NO_PERSONAL_DATA = _("Skriv inga namn eller andra personuppgifter.")


# --- Commitments -----------------------------------------------------------------------------------------


class Status(models.TextChoices):
    FULFILLED = "fulfilled", _("Uppfyllt")
    PARTLY = "partly_fulfilled", _("Delvis uppfyllt")
    NOT_FULFILLED = "not_fulfilled", _("Inte uppfyllt")
    NOT_ASSESSABLE = "not_assessable", _("Ej möjlig att bedöma")


class Measure(models.TextChoices):
    NONE = "", _("Bedöms av kansliet (ingen siffra i systemet)")
    COOPERATION_CASES = "cooperation_cases", _("Antal samverkansärenden (Arena/VerkSam)")
    COOPERATION_MEETINGS = "cooperation_meetings", _("Antal samverkansmöten")
    DEVIATION_REPORTS = "deviation_reports", _("Antal avvikelserapporter (Lex Heller)")
    EVENTS = "events", _("Antal aktiviteter (kompetensutveckling, sändningar)")
    EVENT_REACH = "event_reach", _("Antal deltagare och unika tittare på aktiviteter")
    SURVEY_SHARE = "survey_share", _("Andel instämmande svar på en enkätfråga")
    PARTICIPANTS = "participants", _("Antal deltagare i individinriktade insatser")
    EXIT_WORK_STUDIES = "exit_work_studies", _("Andel avslutade till arbete eller studier")


class Level(models.TextChoices):
    """Where a goal sits in the business plan (seed 004 §6): the association's overall goal, the goal for
    the individuals it serves, a goal of one intervention, or a commitment of the year (seed 001)."""

    COMMITMENT = "", _("Åtagande")
    OVERALL = "overall", _("Övergripande mål")
    INDIVIDUAL = "individual", _("Individmål")
    INTERVENTION = "intervention", _("Mål för en insats")


# Measures whose outcome and target are shares (the target is typed in per cent).
SHARE_MEASURES = frozenset({Measure.SURVEY_SHARE, Measure.EXIT_WORK_STUDIES})


class Commitment(models.Model):
    """An åtagande of the business plan for a year."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="commitments")
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2004)])
    position = models.PositiveSmallIntegerField(_("ordning"), validators=[MinValueValidator(1)])
    level = models.CharField(
        _("nivå"), max_length=12, choices=Level.choices, blank=True, default=Level.COMMITMENT
    )
    text = models.TextField(_("åtagande"))
    measure_text = models.CharField(
        _("mått"), max_length=300, blank=True, help_text=_("Hur målet följs upp, med egna ord.")
    )
    measure = models.CharField(
        _("siffra i systemet"), max_length=24, choices=Measure.choices, blank=True, default=Measure.NONE
    )
    question = models.ForeignKey(
        "Question",
        verbose_name=_("enkätfråga"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("insats"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commitments",
        help_text=_("Insatsen målet gäller; för deltagarmått en insats, eller tomt för alla."),
    )
    target = models.DecimalField(
        _("målvärde"),
        max_digits=10,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Ett antal, eller procent för andelar (80 = 80 %). Lägst detta räknas som uppfyllt."),
    )
    status = models.CharField(_("måluppfyllelse"), max_length=16, choices=Status.choices, blank=True)
    comment = models.TextField(_("kommentar"), blank=True)
    # What the system suggested when the office last assessed the commitment, kept beside its decision.
    suggested_status = models.CharField(
        _("föreslagen måluppfyllelse"), max_length=16, choices=Status.choices, blank=True
    )
    assessed_outcome = models.DecimalField(
        _("utfall vid bedömningen"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    assessed_on = models.DateField(_("bedömd"), null=True, blank=True)

    class Meta:
        verbose_name = _("åtagande")
        verbose_name_plural = _("åtaganden")
        ordering = ["association", "year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["association", "year", "position"], name="commitment_position"),
        ]

    def __str__(self) -> str:
        return f"{self.year}:{self.position} {self.text[:60]}"

    @property
    def is_share(self) -> bool:
        return self.measure in SHARE_MEASURES

    @property
    def overridden(self) -> bool:
        """The office chose another status than the one the figures suggested."""
        return bool(self.status and self.suggested_status and self.status != self.suggested_status)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.measure == Measure.SURVEY_SHARE and self.question_id is None:
            errors["question"] = _("Välj den enkätfråga vars andel är måttet.")
        if self.measure != Measure.SURVEY_SHARE and self.question_id is not None:
            errors["question"] = _("En enkätfråga hör bara till måttet andel instämmande svar.")
        if self.question is not None and self.question.questionnaire.association_id != self.association_id:
            errors["question"] = _("Frågan hör till ett annat förbund.")
        if self.level == Level.INTERVENTION and self.intervention is None:
            errors["intervention"] = _("Välj insatsen som målet gäller.")
        if self.intervention is not None:
            participant_measure = self.measure in (Measure.PARTICIPANTS, Measure.EXIT_WORK_STUDIES)
            if not participant_measure and self.level != Level.INTERVENTION:
                errors["intervention"] = _("En insats väljs bara för deltagarmått och mål för en insats.")
            elif self.intervention.association_id != self.association_id:
                errors["intervention"] = _("Insatsen hör till ett annat förbund.")
        if self.is_share and self.target is not None and self.target > 100:
            errors["target"] = _("En andel anges i procent, högst 100.")
        if self.measure and self.target is None:
            errors["target"] = _("Ange ett målvärde för måttet.")
        if errors:
            raise ValidationError(errors)


# --- Structural-work registers ----------------------------------------------------------------------------


class ReferringParty(models.TextChoices):
    UNKNOWN = "", _("Okänd")
    INCOME_SUPPORT = "income_support", _("Kommunens försörjningsstöd")
    MUNICIPALITY = "municipality", _("Kommunen, annan enhet")
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
    REGION = "region", _("Regionen")
    OTHER = "other", _("Annan")


class AgeGroup(models.TextChoices):
    UNKNOWN = "", _("Okänd")
    UNDER_20 = "16-19", _("16–19 år")
    FROM_20 = "20-24", _("20–24 år")
    FROM_25 = "25-29", _("25–29 år")
    FROM_30 = "30-34", _("30–34 år")
    FROM_35 = "35-39", _("35–39 år")
    FROM_40 = "40-44", _("40–44 år")
    FROM_45 = "45-49", _("45–49 år")
    FROM_50 = "50-55", _("50–55 år")
    OVER_55 = "56-", _("Över 55 år")


class CooperationMeeting(models.Model):
    """A meeting of a local cooperation group (Arena/VerkSam), whether or not a case was raised at it."""

    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, related_name="cooperation_meetings"
    )
    held_on = models.DateField(_("datum"))
    local_group = models.CharField(_("lokal grupp"), max_length=100)
    note = models.CharField(_("anteckning"), max_length=300, blank=True, help_text=NO_PERSONAL_DATA)

    class Meta:
        verbose_name = _("samverkansmöte")
        verbose_name_plural = _("samverkansmöten")
        ordering = ["-held_on", "local_group", "-id"]
        indexes = [models.Index(fields=["association", "held_on"])]

    def __str__(self) -> str:
        return f"{self.local_group} {self.held_on.isoformat()}"


class CooperationCase(models.Model):
    """A case raised in cooperation (Arena/VerkSam): counted, never identified."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="cooperation_cases")
    raised_on = models.DateField(_("datum"))
    local_group = models.CharField(_("lokal grupp"), max_length=100)
    referring_party = models.CharField(
        _("remittent"), max_length=20, choices=ReferringParty.choices, blank=True
    )
    age_group = models.CharField(_("åldersgrupp"), max_length=8, choices=AgeGroup.choices, blank=True)
    meeting = models.ForeignKey(
        CooperationMeeting,
        verbose_name=_("lyft vid möte"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )

    class Meta:
        verbose_name = _("samverkansärende")
        verbose_name_plural = _("samverkansärenden")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["association", "raised_on"])]

    def __str__(self) -> str:
        return f"Ärende {self.pk or 'nytt'} ({self.raised_on.isoformat()})"

    def clean(self) -> None:
        if self.meeting is not None and self.meeting.association_id != self.association_id:
            raise ValidationError({"meeting": _("Mötet hör till ett annat förbund.")})


class DeviationReport(models.Model):
    """A Lex Heller report: something that failed in the cooperation between the parties."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Inkommen")
        INVESTIGATING = "investigating", _("Utreds")
        CLOSED = "closed", _("Avslutad")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="deviation_reports")
    reported_on = models.DateField(_("datum"))
    parties = models.CharField(_("berörda parter"), max_length=300)
    what_failed = models.TextField(_("vad brast"), help_text=NO_PERSONAL_DATA)
    state = models.CharField(_("status"), max_length=14, choices=State.choices, default=State.RECEIVED)
    raised_nationally = models.BooleanField(_("lyft till det nationella nätverket"), default=False)

    class Meta:
        verbose_name = _("avvikelserapport")
        verbose_name_plural = _("avvikelserapporter")
        ordering = ["-reported_on", "-id"]
        indexes = [models.Index(fields=["association", "reported_on"])]

    def __str__(self) -> str:
        return f"Avvikelse {self.pk or 'ny'} ({self.reported_on.isoformat()})"


class Event(models.Model):
    """A competence-development activity or a webcast (e.g. a Samverkanskopp)."""

    class Kind(models.TextChoices):
        COMPETENCE = "competence", _("Kompetensutveckling")
        WEBCAST = "webcast", _("Webbsändning")
        INFORMATION = "information", _("Informationsträff")
        OTHER = "other", _("Annan aktivitet")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="events")
    held_on = models.DateField(_("datum"))
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices)
    topic = models.CharField(_("ämne"), max_length=300)
    attendees = models.PositiveIntegerField(_("deltagare"), null=True, blank=True)
    unique_viewers = models.PositiveIntegerField(
        _("unika tittare"), null=True, blank=True, help_text=_("För sändningar: unika personer som sett den.")
    )

    class Meta:
        verbose_name = _("aktivitet")
        verbose_name_plural = _("aktiviteter")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["association", "held_on"])]

    def __str__(self) -> str:
        return f"{self.topic} ({self.held_on.isoformat()})"


# --- Surveys ---------------------------------------------------------------------------------------------


class RespondentGroup(models.TextChoices):
    ONGOING = "ongoing", _("Pågående deltagare")
    EXITED = "exited", _("Avslutade deltagare")
    STAFF = "staff", _("Insatspersonal")
    MANAGERS = "managers", _("Parternas chefer")
    BOARD = "board", _("Styrelsen")


@dataclass(frozen=True)
class ScaleStep:
    value: int
    label: str


class Scale(models.TextChoices):
    AGREE6 = "agree6", _("Instämmer inte alls (1) – instämmer helt (6)")
    AGREE4 = "agree4", _("Stämmer inte alls (1) – stämmer helt (4)")
    YES_NO = "yes_no", _("Ja eller nej")

    @property
    def steps(self) -> list[ScaleStep]:
        if self is Scale.AGREE6:
            return [
                ScaleStep(1, str(_("1 – Instämmer inte alls"))),
                *(ScaleStep(v, str(v)) for v in range(2, 6)),
                ScaleStep(6, str(_("6 – Instämmer helt"))),
            ]
        if self is Scale.AGREE4:
            return [
                ScaleStep(1, str(_("Stämmer inte alls"))),
                ScaleStep(2, str(_("Stämmer ganska dåligt"))),
                ScaleStep(3, str(_("Stämmer ganska bra"))),
                ScaleStep(4, str(_("Stämmer helt"))),
            ]
        return [ScaleStep(1, str(_("Nej"))), ScaleStep(2, str(_("Ja")))]

    @property
    def default_positive_from(self) -> int:
        return {Scale.AGREE6: 5, Scale.AGREE4: 3, Scale.YES_NO: 2}[self]


# An answer of "vet inte": kept (the respondent answered) but outside every share.
DONT_KNOW = 0


class Questionnaire(models.Model):
    """The questions the association asks one respondent group."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="questionnaires")
    name = models.CharField(_("namn"), max_length=200)
    respondent_group = models.CharField(_("svarsgrupp"), max_length=10, choices=RespondentGroup.choices)
    intro = models.TextField(_("inledning till den som svarar"), blank=True)
    min_answers = models.PositiveSmallIntegerField(
        _("minsta antal svar"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("Med färre svar på en fråga visas inte resultatet (”för få svar”)."),
    )

    class Meta:
        verbose_name = _("frågeformulär")
        verbose_name_plural = _("frågeformulär")
        ordering = ["association", "name"]
        constraints = [models.UniqueConstraint(fields=["association", "name"], name="questionnaire_name")]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("ordning"), validators=[MinValueValidator(1)])
    text = models.CharField(_("fråga"), max_length=400)
    scale = models.CharField(_("svarsskala"), max_length=8, choices=Scale.choices, default=Scale.AGREE6)
    positive_from = models.PositiveSmallIntegerField(
        _("instämmer från"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Lägsta svar som räknas som instämmande; tomt: de två högsta stegen (ja för ja/nej)."),
    )
    required = models.BooleanField(_("obligatorisk"), default=False)

    class Meta:
        verbose_name = _("enkätfråga")
        verbose_name_plural = _("enkätfrågor")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "position"], name="question_position"),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire}, fråga {self.position}"

    @property
    def steps(self) -> list[ScaleStep]:
        return Scale(self.scale).steps

    @property
    def positive_threshold(self) -> int:
        return self.positive_from or Scale(self.scale).default_positive_from

    def clean(self) -> None:
        if self.positive_from is not None and self.positive_from > len(Scale(self.scale).steps):
            raise ValidationError({"positive_from": _("Skalan har inte så många steg.")})


class Survey(models.Model):
    """One round of a questionnaire: its answer links and the responses they gave."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="surveys")
    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("frågeformulär"), on_delete=models.PROTECT, related_name="surveys"
    )
    name = models.CharField(_("namn"), max_length=200)
    opens_on = models.DateField(_("öppnar"))
    closes_on = models.DateField(_("stänger"), null=True, blank=True)

    class Meta:
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        ordering = ["-opens_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True) | Q(closes_on__gte=models.F("opens_on")),
                name="survey_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_open_on(self, day: dt.date) -> bool:
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)

    def clean(self) -> None:
        if self.questionnaire_id is not None and self.questionnaire.association_id != self.association_id:
            raise ValidationError({"questionnaire": _("Formuläret hör till ett annat förbund.")})


class SurveyLink(models.Model):
    """An anonymous answer link: a random token, used by anyone who has it (once, if single use)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    token = models.CharField(max_length=32, unique=True)
    label = models.CharField(
        _("etikett"),
        max_length=100,
        blank=True,
        help_text=_("T.ex. var länken delas ut. Skriv inga namn eller andra personuppgifter."),
    )
    single_use = models.BooleanField(_("ett svar per länk"), default=True)
    used_on = models.DateField(_("använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("svarslänk")
        verbose_name_plural = _("svarslänkar")
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"{self.survey}: {self.label or 'länk'}"

    @property
    def spent(self) -> bool:
        return self.single_use and self.used_on is not None


class Response(models.Model):
    """One anonymous set of answers: its survey and date only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField(_("inkommet"))

    class Meta:
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        indexes = [models.Index(fields=["survey", "submitted_on"])]

    def __str__(self) -> str:
        return f"Enkätsvar {self.pk or 'nytt'}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(_("svar"), help_text=_("Skalans steg; 0 = vet inte."))

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"
