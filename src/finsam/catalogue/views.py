"""The public catalogue of interventions: no login, no personal data."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from finsam.core import clock
from finsam.organisation import classification
from finsam.organisation.models import Association, Intervention


def _current(association: Association) -> list[Intervention]:
    today = clock.today()
    return list(
        association.interventions.filter(Q(end__isnull=True) | Q(end__gte=today)).order_by("kind", "name")
    )


def index(request: HttpRequest) -> HttpResponse:
    associations = Association.objects.order_by("name")
    return render(request, "catalogue/index.html", {"associations": associations})


def association(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = get_object_or_404(Association, slug=slug)
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("slag", "")
    interventions = _current(chosen)
    if kind in Intervention.Kind.values:
        interventions = [i for i in interventions if i.kind == kind]
    if query:
        words = query.casefold().split()
        interventions = [
            i
            for i in interventions
            if all(
                w in " ".join([i.name, i.provider, i.target_group, i.public_description]).casefold()
                for w in words
            )
        ]
    context = {
        "association": chosen,
        "interventions": interventions,
        "query": query,
        "kind": kind,
        "kinds": Intervention.Kind.choices,
    }
    return render(request, "catalogue/association.html", context)


def intervention(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    chosen = get_object_or_404(Association, slug=slug)
    item = get_object_or_404(Intervention, association=chosen, code=code)
    context = {"association": chosen, "item": item, "classification": classification.labels(item)}
    return render(request, "catalogue/intervention.html", context)
