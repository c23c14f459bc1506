"""The default questionnaires, one per respondent group, written for finsam in our own words.

They follow the spirit of the national indicators (what the participant, the staff, the partners' managers and
the board experience of the cooperation) without reusing anyone's wording. An association edits them freely.
"""

from __future__ import annotations

from finsam.goals.models import RespondentGroup, Scale

# (name, respondent group, intro, [(question, scale)]).
DEFAULTS: tuple[tuple[str, RespondentGroup, str, tuple[tuple[str, Scale], ...]], ...] = (
    (
        "Deltagare under insatsen",
        RespondentGroup.ONGOING,
        "Dina svar är anonyma. Svara utifrån hur du har det just nu i insatsen.",
        (
            ("Jag vet vad som ska hända härnäst i min planering.", Scale.AGREE6),
            ("Jag får vara med och bestämma vad vi ska arbeta med.", Scale.AGREE6),
            ("De som stöttar mig från olika håll pratar med varandra om min situation.", Scale.AGREE6),
            ("Jag blir lyssnad på när jag berättar vad jag behöver.", Scale.AGREE6),
            ("Stödet jag får gör skillnad i min vardag.", Scale.AGREE6),
        ),
    ),
    (
        "Deltagare vid avslut",
        RespondentGroup.EXITED,
        "Dina svar är anonyma. Tänk tillbaka på hela tiden i insatsen.",
        (
            ("Jag står närmare ett arbete eller studier nu än när jag började.", Scale.AGREE6),
            ("Personalen tog vara på det jag kan och det jag tyckte.", Scale.AGREE6),
            ("Stödet jag fick har varit till nytta för mig.", Scale.AGREE6),
            ("Jag vet vart jag kan vända mig nu när insatsen är slut.", Scale.AGREE6),
            ("Skulle du rekommendera insatsen till någon i din situation?", Scale.YES_NO),
        ),
    ),
    (
        "Personal i insatser",
        RespondentGroup.STAFF,
        "Svaren är anonyma och redovisas bara när tillräckligt många har svarat.",
        (
            ("Jag vet vilket stöd de andra parterna kan ge en deltagare.", Scale.AGREE6),
            ("Det är lätt att ta kontakt med rätt person hos en annan part.", Scale.AGREE6),
            ("Vi planerar deltagarnas stöd tillsammans över myndighetsgränserna.", Scale.AGREE6),
            ("Jag har fått den kompetensutveckling jag behöver i arbetet.", Scale.AGREE6),
        ),
    ),
    (
        "Parternas chefer",
        RespondentGroup.MANAGERS,
        "Svaren är anonyma och redovisas bara när tillräckligt många har svarat.",
        (
            ("Förbundets insatser fyller ett behov som min organisation ser.", Scale.AGREE6),
            ("Resultaten av samverkan tas tillvara i min organisations ordinarie arbete.", Scale.AGREE6),
            ("Jag får den information jag behöver om förbundets arbete.", Scale.AGREE6),
            ("Hinder i samverkan lyfts och hanteras på rätt nivå.", Scale.AGREE6),
        ),
    ),
    (
        "Styrelsen",
        RespondentGroup.BOARD,
        "Svaren är anonyma och redovisas bara när tillräckligt många har svarat.",
        (
            ("Styrelsen får underlag som räcker för att styra och följa upp förbundet.", Scale.AGREE6),
            ("Förbundets mål är tydliga och går att följa upp.", Scale.AGREE6),
            (
                "Medlemmarna tar ansvar för att det som fungerar blir en del av ordinarie verksamhet.",
                Scale.AGREE6,
            ),
            ("Arbetet med jämställdhet och likabehandling är tydligt i förbundets verksamhet.", Scale.AGREE6),
        ),
    ),
)
