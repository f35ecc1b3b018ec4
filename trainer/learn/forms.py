"""Forms for the learning area."""

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput
from wtforms import SubmitField, TextAreaField

from trainer.forms import text_field
from trainer.web import Form


def _record_field(label: str, hint: str, missing: str) -> TextAreaField:
    return text_field(label, 4000, missing, description=hint, multiline=True)


class DecisionRecordForm(Form):
    decision = _record_field(
        "What did you decide?",
        "Whether you shared, shared part, or did not share — and what.",
        "Enter what you decided",
    )
    shared_with = _record_field(
        "Who did you share with, or decide not to share with?",
        "Name the role and organisation, not just 'social care'.",
        "Enter who you shared with or decided not to share with",
    )
    when = _record_field(
        "When?",
        "The date and time, and how (phone, secure email, portal).",
        "Enter when you shared",
    )
    reasons = _record_field(
        "Why?",
        "The risk or need, the facts you relied on, and the views of the child and family.",
        "Enter why you made this decision",
    )
    lawful_basis = _record_field(
        "On what lawful basis?",
        "For example, public task with the safeguarding condition; and how you met the duty of confidence.",
        "Enter the lawful basis you relied on",
    )
    submit = SubmitField("Save my record", widget=GovSubmitInput())
