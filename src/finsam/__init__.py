"""finsam: follow-up, finance and reporting for Finsam coordination associations."""

__version__ = "0.1.0"
