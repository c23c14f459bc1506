"""Participant follow-up: episodes, referrals, volume counts, ratings, the access log, erasure tallies.

Privacy by design (docs/decisions/0008-participant-privacy.md):
- a participant is recognised by a keyed pseudonym (HMAC, key file outside the database); a personnummer is
  never stored, and an association's own free-text key only when the registrar chose one;
- an anonymous participant keeps gender and the episode's dates and exit reason (what the counts need);
- erased episodes leave a month-level tally without any key, so every table by whole months stays right.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from finsam.participants.stored import support_codes


class Gender(models.TextChoices):
    WOMAN = "kvinna", _("Kvinna")
    MAN = "man", _("Man")
    OTHER = "annat", _("Annat")


# JSON keys of the participants report (docs/participants.md) for the genders.
GENDER_KEYS = {Gender.WOMAN: "women", Gender.MAN: "men", Gender.OTHER: "other"}


class ReferralSource(models.TextChoices):
    FK = "försäkringskassan", _("Försäkringskassan")
    AF = "arbetsförmedlingen", _("Arbetsförmedlingen")
    REGION = "region", _("Regionen")
    MUNICIPALITY = "kommun", _("Kommunen")
    OTHER = "annan", _("Annan")
    SELF = "egen", _("Egen anmälan")


class ExitReason(models.TextChoices):
    WORK = "arbete", _("Arbete")
    STUDIES = "studier", _("Studier")
    REHABILITATION = "arbetsrehabilitering", _("Fortsatt arbetslivsinriktad rehabilitering")
    ILLNESS = "sjukdom", _("Sjukdom")
    OWN_REQUEST = "egen_begäran", _("Egen begäran")
    BACK_TO_REFERRER = "åter_remittent", _("Åter till remittent")
    OTHER = "annat", _("Annat skäl")
    VOID = "felregistrering", _("Felregistrering (räknas inte)")


# The groups of the reports (docs/participants.md), in order.
EXIT_GROUPS: dict[str, tuple[str, ...]] = {
    "work_or_studies": (ExitReason.WORK, ExitReason.STUDIES),
    "continued_rehabilitation": (ExitReason.REHABILITATION,),
    "illness": (ExitReason.ILLNESS,),
    "other": (ExitReason.OWN_REQUEST, ExitReason.BACK_TO_REFERRER, ExitReason.OTHER),
}
EXIT_GROUP_LABELS = {
    "work_or_studies": _("Arbete eller studier"),
    "continued_rehabilitation": _("Fortsatt arbetsrehab"),
    "illness": _("Sjukdom"),
    "other": _("Övriga orsaker"),
}
COUNTED_REASONS = tuple(r for r in ExitReason.values if r != ExitReason.VOID)


class IncomeSupport(models.TextChoices):
    SICKNESS = "sjukpenning", _("Sjukpenning")
    ACTIVITY_COMPENSATION = "aktivitetsersättning", _("Aktivitetsersättning")
    SICKNESS_COMPENSATION = "sjukersättning", _("Sjukersättning")
    ACTIVITY_SUPPORT = "aktivitetsstöd", _("Aktivitetsstöd")
    UNEMPLOYMENT = "a-kassa", _("A-kassa")
    SOCIAL_ASSISTANCE = "ekonomiskt_bistånd", _("Ekonomiskt bistånd")
    ESTABLISHMENT = "etableringsersättning", _("Etableringsersättning")
    SALARY = "lön", _("Lön")
    STUDY_GRANT = "studiemedel", _("Studiemedel")
    NONE = "ingen", _("Ingen")
    OTHER = "annan", _("Annan")


class LegalBasis(models.TextChoices):
    CONSENT = "samtycke", _("Samtycke")
    PUBLIC_TASK = "allmänt_intresse", _("Uppgift av allmänt intresse")
    ANONYMOUS = "anonym", _("Anonym (utan samtycke eller med skyddad identitet)")


class Education(models.TextChoices):
    UNKNOWN = "", _("Okänd")
    COMPULSORY_INCOMPLETE = "ej_grundskola", _("Ej fullföljd grundskola")
    COMPULSORY = "grundskola", _("Grundskola")
    UPPER_SECONDARY = "gymnasium", _("Gymnasium")
    POST_SECONDARY = "eftergymnasial", _("Eftergymnasial utbildning")


class Occupation(models.TextChoices):
    UNKNOWN = "", _("Okänd")
    NONE = "ingen", _("Ingen sysselsättning")
    WORK = "arbete", _("Arbete")
    SUBSIDISED_WORK = "subventionerat_arbete", _("Subventionerat arbete")
    STUDIES = "studier", _("Studier")
    REHABILITATION = "arbetsrehabilitering", _("Arbetsrehabilitering")
    LABOUR_MARKET = "arbetsmarknadsinsats", _("Arbetsmarknadsinsats")
    OTHER = "annan", _("Annan")


class KeyKind(models.TextChoices):
    PERSONAL_NUMBER = "personnummer", _("Personnummer")
    OWN_KEY = "egen_nyckel", _("Förbundets egen nyckel")


class Referral(models.Model):
    """A referral (remiss) to an intervention and what came of it."""

    class Outcome(models.TextChoices):
        PENDING = "", _("Ej avgjord")
        ENROLLED = "inskrivning", _("Inskrivning")
        RETURNED = "återremiss", _("Återremiss (åter till remittenten med råd)")
        REPORT_BACK = "återrapport", _("Återrapport")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="referrals"
    )
    intervention = models.ForeignKey(
        "organisation.Intervention",
        verbose_name=_("insats"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    source = models.CharField(_("remittent"), max_length=20, choices=ReferralSource.choices)
    received_on = models.DateField(_("remissdatum"))
    outcome = models.CharField(_("utfall"), max_length=12, choices=Outcome.choices, blank=True)
    participant_key = models.CharField(_("deltagarnyckel (pseudonym)"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("remiss")
        verbose_name_plural = _("remisser")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["association", "received_on"])]

    def __str__(self) -> str:
        return f"Remiss {self.pk or 'ny'} ({self.received_on})"


class Episode(models.Model):
    """One participant's time in one intervention, from enrolment to exit."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="episodes"
    )
    intervention = models.ForeignKey(
        "organisation.Intervention",
        verbose_name=_("insats"),
        on_delete=models.PROTECT,
        related_name="episodes",
    )
    participant_key = models.CharField(_("deltagarnyckel (pseudonym)"), max_length=64, db_index=True)
    key_kind = models.CharField(_("slag av nyckel"), max_length=14, choices=KeyKind.choices)
    own_key = models.CharField(
        _("egen nyckel"),
        max_length=60,
        blank=True,
        help_text=_("Förbundets egen deltagarnyckel. Ett personnummer sparas aldrig."),
    )
    sealed_number = models.CharField(
        _("krypterat personnummer"),
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("Finns bara när förbundet sparar personnummer så att registratorn kan se dem igen."),
    )
    legal_basis = models.CharField(
        _("rättslig grund"), max_length=16, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    gender = models.CharField(_("kön"), max_length=6, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(
        _("födelseår"), null=True, blank=True, validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    municipality = models.CharField(_("hemkommun"), max_length=60, blank=True)
    education = models.CharField(_("utbildning"), max_length=16, choices=Education.choices, blank=True)
    income_before = models.CharField(
        _("försörjning före"), max_length=200, blank=True, help_text=_("Koder åtskilda med |.")
    )
    years_on_support = models.DecimalField(
        _("år med offentlig försörjning"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    occupation_before = models.CharField(
        _("sysselsättning före"), max_length=24, choices=Occupation.choices, blank=True
    )
    referral = models.OneToOneField(
        Referral,
        verbose_name=_("remiss"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="episode",
    )
    enrolled_on = models.DateField(_("inskrivningsdatum"))
    exited_on = models.DateField(_("avslutsdatum"), null=True, blank=True)
    exit_reason = models.CharField(_("avslutsorsak"), max_length=24, choices=ExitReason.choices, blank=True)
    income_after = models.CharField(_("försörjning efter"), max_length=200, blank=True)
    occupation_after = models.CharField(
        _("sysselsättning efter"), max_length=24, choices=Occupation.choices, blank=True
    )

    class Meta:
        verbose_name = _("deltagarepisod")
        verbose_name_plural = _("deltagarepisoder")
        ordering = ["-enrolled_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "participant_key", "enrolled_on"], name="episode_identity"
            ),
            models.CheckConstraint(
                condition=Q(exited_on__isnull=True) | Q(exited_on__gte=models.F("enrolled_on")),
                name="episode_period",
            ),
            models.CheckConstraint(
                condition=(Q(exited_on__isnull=True) & Q(exit_reason=""))
                | (Q(exited_on__isnull=False) & ~Q(exit_reason="")),
                name="episode_exit_reason",
            ),
        ]
        indexes = [
            # Covers the participants table: the period filter and every grouped column.
            models.Index(
                fields=[
                    "association",
                    "enrolled_on",
                    "exited_on",
                    "intervention",
                    "gender",
                    "exit_reason",
                    "years_on_support",
                ],
                name="episode_table",
            ),
            # The same columns in the order the participants table groups them: one pass in that order, no
            # sort (bench/participants_table.py, ADR 0029).
            models.Index(
                fields=[
                    "association",
                    "intervention",
                    "gender",
                    "exit_reason",
                    "enrolled_on",
                    "exited_on",
                    "years_on_support",
                ],
                name="episode_table_grouped",
            ),
        ]

    def __str__(self) -> str:
        # Never the key: this text enters the audit trail, which the office can read.
        return f"Deltagarepisod {self.pk or 'ny'}"

    @property
    def is_void(self) -> bool:
        return self.exit_reason == ExitReason.VOID

    @property
    def anonymous(self) -> bool:
        return self.legal_basis == LegalBasis.ANONYMOUS

    @property
    def shown_key(self) -> str:
        """What a registrar sees as the participant: her own key, or a short form of the pseudonym."""
        if self.own_key:
            return self.own_key
        return f"#{self.participant_key[:8]}"

    def income_before_codes(self) -> list[str]:
        return support_codes(self.income_before)

    def income_after_codes(self) -> list[str]:
        return support_codes(self.income_after)


class ErasedTally(models.Model):
    """What erased episodes leave behind: counts by month, with no key and nothing else about a person.

    Dates are the first day of the month, so every table over whole months counts them exactly as the
    episodes they replace.
    """

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey("organisation.Intervention", on_delete=models.CASCADE, related_name="+")
    gender = models.CharField(max_length=6, choices=Gender.choices)
    municipality = models.CharField(max_length=60, blank=True)
    enrolled_month = models.DateField()
    exited_month = models.DateField(null=True, blank=True)
    exit_reason = models.CharField(max_length=24, choices=ExitReason.choices, blank=True)
    count = models.PositiveIntegerField(default=0)
    years_on_support_sum = models.DecimalField(max_digits=10, decimal_places=1, default=0)
    years_on_support_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gallrade episoder (antal)")
        verbose_name_plural = _("gallrade episoder (antal)")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "intervention",
                    "gender",
                    "municipality",
                    "enrolled_month",
                    "exited_month",
                    "exit_reason",
                ],
                name="erased_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.enrolled_month}: {self.count}"


class ErasedReferralTally(models.Model):
    """What erased referrals leave behind: counts by month, source and outcome."""

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey("organisation.Intervention", on_delete=models.CASCADE, related_name="+")
    received_month = models.DateField()
    source = models.CharField(max_length=20, choices=ReferralSource.choices)
    outcome = models.CharField(max_length=12, choices=Referral.Outcome.choices, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gallrade remisser (antal)")
        verbose_name_plural = _("gallrade remisser (antal)")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "received_month", "source", "outcome"], name="erased_referral_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.received_month}: {self.count}"


class VolumeCount(models.Model):
    """Head counts of a structural intervention for a period (volume participants)."""

    intervention = models.ForeignKey(
        "organisation.Intervention",
        verbose_name=_("insats"),
        on_delete=models.CASCADE,
        related_name="volume_counts",
    )
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"))
    gender = models.CharField(_("kön"), max_length=6, choices=Gender.choices)
    count = models.PositiveIntegerField(_("antal"))

    class Meta:
        verbose_name = _("volymdeltagare")
        verbose_name_plural = _("volymdeltagare")
        ordering = ["intervention", "start", "gender"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "start", "end", "gender"], name="volume_unique"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="volume_period"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.start}–{self.end} {self.gender}: {self.count}"


class Instrument(models.Model):
    """A rating instrument: areas rated on a scale. One ships with finsam (association empty)."""

    association = models.ForeignKey(
        "organisation.Association", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("kod"), max_length=30)
    name = models.CharField(_("namn"), max_length=100)
    scale_min = models.PositiveSmallIntegerField(_("lägsta värde"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("högsta värde"), default=10)

    class Meta:
        verbose_name = _("skattningsinstrument")
        verbose_name_plural = _("skattningsinstrument")
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="instrument_code")]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField(_("ordning"))
    code = models.CharField(_("kod"), max_length=30)
    name = models.CharField(_("namn"), max_length=100)

    class Meta:
        verbose_name = _("skattningsområde")
        verbose_name_plural = _("skattningsområden")
        ordering = ["instrument", "position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="area_code")]

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    """One area rated on one day, by the participant or by staff."""

    class Rater(models.TextChoices):
        PARTICIPANT = "deltagare", _("Deltagaren")
        STAFF = "personal", _("Personalen")

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="ratings")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="ratings")
    rated_on = models.DateField(_("datum"))
    rater = models.CharField(_("skattad av"), max_length=10, choices=Rater.choices)
    value = models.PositiveSmallIntegerField(_("värde"))

    class Meta:
        verbose_name = _("skattning")
        verbose_name_plural = _("skattningar")
        ordering = ["episode", "rated_on", "rater", "area__position"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "area", "rated_on", "rater"], name="rating_unique")
        ]
        # An episode's latest rating, read per active episode by the registrar's caseload (`caseload.active`):
        # one step in this index, where PostgreSQL scanned the table for each (bench/web_load.py).
        indexes = [models.Index(fields=["episode", "rated_on"], name="rating_latest")]

    def __str__(self) -> str:
        return f"{self.area} {self.rated_on}: {self.value}"


class ErasedSupportTally(models.Model):
    """What erased episodes leave of income support: per exit month and kind of support, how many had it
    before and how many after. Each kind is counted alone, never combined with anything about a person."""

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey("organisation.Intervention", on_delete=models.CASCADE, related_name="+")
    exited_month = models.DateField()
    code = models.CharField(max_length=24, choices=IncomeSupport.choices)
    before = models.PositiveIntegerField(default=0)
    after = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gallrade episoders försörjning (antal)")
        verbose_name_plural = _("gallrade episoders försörjning (antal)")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "exited_month", "code"], name="erased_support_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.exited_month} {self.code}: {self.before}/{self.after}"


class ErasedOutcomeTally(models.Model):
    """What erased exited episodes leave for the outcome reports (`participants.outcomes`): per exit month and
    gender, one measure alone: a pair of income support before → after (one row per pair of kinds), a pair
    of occupation before → after, or the days spent in the intervention."""

    class Measure(models.TextChoices):
        INCOME = "income", _("Försörjning före och efter")
        OCCUPATION = "occupation", _("Sysselsättning före och efter")
        DAYS = "days", _("Dagar i insatsen")

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey("organisation.Intervention", on_delete=models.CASCADE, related_name="+")
    exited_month = models.DateField()
    gender = models.CharField(max_length=6, choices=Gender.choices)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    before = models.CharField(max_length=24, blank=True)
    after = models.CharField(max_length=24, blank=True)
    days = models.PositiveIntegerField(default=0)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gallrade episoders utfall (antal)")
        verbose_name_plural = _("gallrade episoders utfall (antal)")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "exited_month", "gender", "measure", "before", "after", "days"],
                name="erased_outcome_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.exited_month} {self.measure}: {self.count}"


class ErasedRatingTally(models.Model):
    """What erased episodes leave of the rating progression: per area and rater, how many people were rated at
    least twice, with the sums of their first and latest ratings, by month of enrolment and exit."""

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey("organisation.Intervention", on_delete=models.CASCADE, related_name="+")
    enrolled_month = models.DateField()
    exited_month = models.DateField()
    area = models.ForeignKey("Area", on_delete=models.PROTECT, related_name="+")
    rater = models.CharField(max_length=10, choices=Rating.Rater.choices)
    people = models.PositiveIntegerField(default=0)
    first_sum = models.PositiveIntegerField(default=0)
    latest_sum = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("gallrade skattningar (antal)")
        verbose_name_plural = _("gallrade skattningar (antal)")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "enrolled_month", "exited_month", "area", "rater"],
                name="erased_rating_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} {self.area_id} {self.rater}: {self.people}"


class ParticipantSettings(models.Model):
    """An association's choices for participant data: retention and suppression of its own tables."""

    association = models.OneToOneField(
        "organisation.Association", on_delete=models.CASCADE, related_name="participant_settings"
    )
    retention_years = models.PositiveSmallIntegerField(
        _("gallring (år efter avslut)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Episoder gallras så många år efter avslutsdatumet; antalen i tabellerna finns kvar."),
    )
    suppress_own_tables = models.BooleanField(
        _("dölj små tal även i förbundets egna tabeller"),
        default=True,
        help_text=_("Av: kansliet, ekonomen och styrelsen ser exakta antal, också grupper om en eller två."),
    )
    keep_personal_numbers = models.BooleanField(
        _("spara personnummer krypterat så att registratorn kan se dem igen"),
        default=False,
        help_text=_(
            "Annars sparas bara en pseudonym och registratorn skriver numret när hon behöver det. "
            "Stängs detta av raderas alla sparade kopior."
        ),
    )

    class Meta:
        verbose_name = _("inställningar för deltagaruppgifter")
        verbose_name_plural = _("inställningar för deltagaruppgifter")

    def __str__(self) -> str:
        return f"{self.association}: {self.retention_years} år"


class AccessLogEntry(models.Model):
    """One read of personal data: who, when, from where, what and which records."""

    class Action(models.TextChoices):
        LIST = "list", _("Lista")
        DETAIL = "detail", _("Detaljvy")
        SEARCH = "search", _("Sökning")
        EXPORT = "export", _("Export")
        REFERRALS = "referrals", _("Remisslista")
        IMPORT = "import", _("Förhandsvisning av import")
        NUMBER = "number", _("Visade personnummer")

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.CharField(_("vem"), max_length=200)
    address = models.CharField(_("varifrån"), max_length=200, blank=True)
    action = models.CharField(_("vad"), max_length=10, choices=Action.choices)
    path = models.CharField(_("sida"), max_length=300, blank=True)
    record_type = models.CharField(_("slag av post"), max_length=20, default="episode")
    record_ids = models.JSONField(_("poster"), default=list)

    class Meta:
        verbose_name = _("åtkomstlogg")
        verbose_name_plural = _("åtkomstloggar")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["association", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} ({len(self.record_ids)})"
