"""The board's documents, assembled from the data: interim report, annual report and business plan.

Each is gathered once into a Document (rendered to every format by `finsam.core.documents`). Narrative
sections take the version's texts, or a default text with figures filled in; tables and charts always come
from the data. The default texts are templates, `reports/board/<kind>/<key>.md` (or `reports/board/<key>.md`
when documents share one), found by Django's template loader and filled like a version's own text.
"""
