"""Protection of participants' personal data: pseudonymised identities and
small-count suppression of published tables. Pure Python, no Django."""
