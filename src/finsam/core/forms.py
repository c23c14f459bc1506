from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from finsam.core import formatting, uploads
from finsam.core.money import MAX_AMOUNT, ORE, AmountTooLarge, parse_amount


class MoneyField(forms.DecimalField):
    """Kronor as Swedes type them ("1 250 000,50"), stored exactly to the öre."""

    default_error_messages = {
        "invalid": _("Skriv ett belopp i kronor, till exempel 1 250 000 eller 1 250 000,50.")
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            amount = parse_amount(str(value))
        except AmountTooLarge:
            shown = formatting.number(MAX_AMOUNT, 2)
            message = _("Beloppet är för stort: högst %(max)s kr.") % {"max": shown}
            raise ValidationError(message, code="max_value") from None
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount != amount.quantize(ORE):
            raise ValidationError(_("Högst två decimaler (öre)."), code="max_decimal_places")
        return amount

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return formatting.number(value, 2 if value != value.to_integral_value() else 0)
        return value


class UploadField(forms.FileField):
    """A file of a kind of `core.uploads`: one that went over the limit while it streamed is refused here,
    and so is one over its kind's limit when the view takes several kinds (the form's kind not yet known)."""

    def __init__(self, *, kind: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind = kind

    def to_python(self, data: Any) -> Any:
        if isinstance(data, uploads.RefusedUpload):
            raise ValidationError(data.message, code="too_large")
        uploaded = super().to_python(data)
        if uploaded is not None and self.kind is not None:
            check_upload(uploaded, self.kind)
        return uploaded


def check_upload(uploaded: Any, kind: str) -> None:
    """Raise ValidationError for an uploaded file over its kind's limit."""
    if uploaded.size > uploads.limit(kind):
        message = uploads.too_large(kind)
        raise ValidationError(f"{message[:1].upper()}{message[1:]}.", code="too_large")
