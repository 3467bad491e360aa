from django import forms

from .errors import InvalidInput, ServiceError


def apply_service_errors(
    form: forms.BaseForm, error: ServiceError, field_map: dict[str, str] | None = None
) -> None:
    """Show a service's refusal on the form: field errors beside their fields, the rest on top."""
    field_map = field_map or {}
    if isinstance(error, InvalidInput) and error.field_errors:
        for name, messages in error.field_errors.items():
            target = field_map.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        form.add_error(None, error.message)


class BootstrapFormMixin:
    """Give widgets Bootstrap's classes, so templates can render fields as they are."""

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"
