from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9ÅÄÖåäö_\-]{1,30}$", _("Högst 30 tecken: bokstäver, siffror, - och _.")
)
slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9\-]{0,49}$", _("Små bokstäver a–z, siffror och bindestreck.")
)


class Office(models.Model):
    """A kansli; two associations may share one (and its costs, by agreement)."""

    name = models.CharField(_("namn"), max_length=200, unique=True)

    class Meta:
        verbose_name = _("kansli")
        verbose_name_plural = _("kanslier")

    def __str__(self) -> str:
        return self.name


class Association(models.Model):
    """A samordningsförbund: the tenant every other record belongs to."""

    slug = models.SlugField(_("kortnamn"), max_length=50, unique=True, validators=[slug_validator])
    name = models.CharField(_("namn"), max_length=200)
    org_number = models.CharField(_("organisationsnummer"), max_length=11, blank=True)
    seat = models.CharField(_("säte"), max_length=100, blank=True, help_text=_("Ort för underskrifter."))
    website = models.URLField(_("webbplats"), blank=True)
    office = models.ForeignKey(
        Office,
        verbose_name=_("kansli"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="associations",
    )

    class Meta:
        verbose_name = _("förbund")
        verbose_name_plural = _("förbund")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet["Member"]):
    def in_report_order(self) -> MemberQuerySet:
        """State, region, municipalities, Arbetsförmedlingen: the order of the reports' income rows."""
        rank = models.Case(
            *(models.When(kind=kind, then=models.Value(i)) for i, kind in enumerate(Member.Kind.values)),
            output_field=models.IntegerField(),
        )
        return self.annotate(kind_rank=rank).order_by("kind_rank", "name")

    def state_name(self) -> str:
        """The state's member as registered ("Staten gm Försäkringskassan"), for running text; "Staten"
        where none is registered."""
        names = self.filter(kind=Member.Kind.STATE).order_by("name").values_list("name", flat=True)
        return next(iter(names), None) or str(_("Staten"))


class Member(models.Model):
    class Kind(models.TextChoices):
        STATE = "state", _("Staten (Försäkringskassan)")
        REGION = "region", _("Region")
        MUNICIPALITY = "municipality", _("Kommun")
        EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="members")
    code = models.CharField(_("kod"), max_length=30, validators=[code_validator])
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=20, choices=Kind.choices)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlem")
        verbose_name_plural = _("medlemmar")
        ordering = ["association", "name"]
        constraints = [models.UniqueConstraint(fields=["association", "code"], name="member_code_unique")]

    def __str__(self) -> str:
        return self.name

    def population_on(self, day: dt.date) -> Population | None:
        """The latest population figure with a reference date on or before the day."""
        return self.populations.filter(reference_date__lte=day).order_by("-reference_date").first()


class Population(models.Model):
    """A municipality's population on a reference date; earlier figures are kept as history."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="populations")
    reference_date = models.DateField(_("referensdatum"))
    count = models.PositiveIntegerField(_("folkmängd"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("folkmängd")
        verbose_name_plural = _("folkmängder")
        ordering = ["member", "-reference_date"]
        constraints = [
            models.UniqueConstraint(fields=["member", "reference_date"], name="population_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.count} ({self.reference_date})"


class MemberName(models.Model):
    """A name the member bore until a day ("Landstinget i Jönköpings län" until 2018-12-31); its name today is
    Member.name, and the former names are kept as history, as its populations are (names.py reads them)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField(_("tidigare namn"), max_length=200)
    until = models.DateField(_("använt till och med"))

    class Meta:
        verbose_name = _("tidigare namn")
        verbose_name_plural = _("tidigare namn")
        ordering = ["member", "-until"]
        constraints = [models.UniqueConstraint(fields=["member", "until"], name="member_name_until_unique")]

    def __str__(self) -> str:
        return f"{self.member}: {self.name} (–{self.until})"


class Person(models.Model):
    """A named person of the association's organisation (board members, contacts)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["association", "name"], name="person_name_unique")]

    def __str__(self) -> str:
        return self.name


class BoardSeat(models.Model):
    class Role(models.TextChoices):
        MEMBER = "ledamot", _("Ledamot")
        DEPUTY = "ersattare", _("Ersättare")

    class Office(models.TextChoices):
        NONE = "", _("–")
        CHAIR = "chair", _("Ordförande")
        VICE_CHAIR = "vice_chair", _("Vice ordförande")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="board_seats")
    member = models.ForeignKey(
        Member, verbose_name=_("utsedd av"), on_delete=models.PROTECT, related_name="board_seats"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="seats"
    )
    role = models.CharField(_("uppdrag"), max_length=10, choices=Role.choices)
    office = models.CharField(_("funktion"), max_length=12, choices=Office.choices, blank=True)
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"), null=True, blank=True)

    class Meta:
        verbose_name = _("styrelseplats")
        verbose_name_plural = _("styrelseplatser")
        ordering = ["association", "start", "member__kind", "member__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="seat_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display()}, {self.member})"

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)


class Intervention(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individinriktad")
        STRUCTURAL = "structural", _("Strukturinriktad")

    class Purpose(models.TextChoices):
        """The precise orientation (ADR 0027): the first six for individual interventions, the rest for
        structural ones (`organisation.classification` says which is which)."""

        NONE = "", _("–")
        PREPARATORY = "preparatory", _("Förberedande, förrehabilitering")
        ASSESSMENT = "assessment", _("Utredande, kartläggande")
        WORK = "work", _("Arbetslivsinriktad rehabilitering")
        JOB_SUPPORT = "job_support", _("Stöd till och i arbete")
        STUDIES = "studies", _("Stöd till studier")
        COORDINATION = "coordination", _("Samordnat stöd från flera myndigheter")
        COMPETENCE = "competence", _("Kompetensutveckling")
        COOPERATION = "cooperation", _("Samverkansstruktur")
        METHODS = "methods", _("Metodutveckling")
        DEVELOPMENT = "development", _("Verksamhetsutveckling")
        INFORMATION = "information", _("Information och kunskapsspridning")
        MAPPING = "mapping", _("Behovsinventering och analys")

    class TargetGroup(models.TextChoices):
        WORKING_AGE = "working_age", _("Förbundets hela målgrupp, 16–64 år")
        YOUNG = "young", _("Unga 16–29 år")
        LONG_TERM_SICK = "long_term_sick", _("Långtidssjukskrivna")
        SOCIAL_ASSISTANCE = "social_assistance", _("Personer med ekonomiskt bistånd")
        ACTIVITY_COMPENSATION = "activity_compensation", _("Personer med aktivitetsersättning")
        LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Långtidsarbetslösa")
        NEWLY_ARRIVED = "newly_arrived", _("Nyanlända och utrikes födda")
        DISABILITY = "disability", _("Personer med funktionsnedsättning")
        MENTAL_HEALTH = "mental_health", _("Personer med psykisk ohälsa")
        ADDICTION = "addiction", _("Personer med missbruk eller beroende")
        STAFF = "staff", _("Personal och chefer hos medlemmarna")

    class FollowUp(models.TextChoices):
        PERSON = "person", _("Per deltagare")
        VOLUME = "volume", _("Volym (antal)")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="interventions")
    code = models.CharField(_("kod"), max_length=30, validators=[code_validator])
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("slag"), max_length=12, choices=Kind.choices)
    purpose = models.CharField(_("precis inriktning"), max_length=12, choices=Purpose.choices, blank=True)
    target_groups = models.CharField(
        _("målgrupper"), max_length=300, blank=True, help_text=_("Koder åtskilda med |.")
    )
    follow_up = models.CharField(
        _("uppföljning"), max_length=6, choices=FollowUp.choices, default=FollowUp.PERSON
    )
    esf = models.BooleanField(_("finansieras av Europeiska socialfonden (ESF)"), default=False)
    provider = models.CharField(_("utförare"), max_length=200, blank=True)
    target_group = models.TextField(_("målgrupp"), blank=True)
    places = models.PositiveIntegerField(_("platser"), null=True, blank=True)
    start = models.DateField(_("startdatum"), null=True, blank=True)
    end = models.DateField(_("slutdatum"), null=True, blank=True)
    public_description = models.TextField(_("beskrivning för allmänheten"), blank=True)
    referral_info = models.TextField(_("så remitteras man"), blank=True)
    contact = models.CharField(_("kontakt"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["association", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["association", "code"], name="intervention_code_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(start__isnull=True) | Q(end__gte=models.F("start")),
                name="intervention_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def target_group_codes(self) -> list[str]:
        return sorted(code for code in self.target_groups.split("|") if code)

    def is_active_in(self, year: int) -> bool:
        starts = self.start is None or self.start.year <= year
        ends = self.end is None or self.end.year >= year
        return starts and ends


class Grant(models.Model):
    """A board decision granting an intervention an amount for a year (several decisions may add up)."""

    intervention = models.ForeignKey(
        Intervention, verbose_name=_("insats"), on_delete=models.CASCADE, related_name="grants"
    )
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2004)])
    amount = models.DecimalField(_("belopp (kr)"), max_digits=14, decimal_places=2)
    decided_on = models.DateField(_("styrelsebeslut"))
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("beviljat belopp")
        verbose_name_plural = _("beviljade belopp")
        ordering = ["-year", "intervention__name", "decided_on"]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}: {self.amount}"


class ContributionTotal(models.Model):
    """The members' total contribution for a year, split by the Finsam rule (see contributions.py)."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="contribution_totals")
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2004)])
    amount = models.DecimalField(
        _("totalt medlemsbidrag (kr)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    decided_on = models.DateField(_("beslutsdatum"), null=True, blank=True)

    class Meta:
        verbose_name = _("medlemsbidrag")
        verbose_name_plural = _("medlemsbidrag")
        ordering = ["association", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="contribution_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.association} {self.year}: {self.amount}"
