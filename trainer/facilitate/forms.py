"""Forms for running sessions: planning, joining, voting, the register and feedback."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError

from trainer.content import SECTORS
from trainer.formats import LONDON
from trainer.forms import Checkboxes, day_field, radio_field, select_field, text_field
from trainer.web import Form, strip_text

from .codes import normalise_code

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")


class TimeField(StringField):
    """A time of day typed as 09:30 or 14:00, read as UK time."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(label, widget=GovTextInput(), filters=[strip_text], **kwargs)

    def as_time(self) -> time | None:
        found = _TIME.match(self.data or "")
        return time(int(found.group(1)), int(found.group(2))) if found else None

    def pre_validate(self, form) -> None:
        if self.data and self.as_time() is None:
            raise ValidationError(
                f"Enter the {self.label.text.lower()} as hours and minutes, like 09:30 or 14:00"
            )


class SessionForm(Form):
    title = text_field("Title", 200, "Enter a title for the session")
    course_id = select_field("Course", "Select the course")
    module_ids = Checkboxes("Modules it covers", description="Modules of the course you chose.")
    case_ids = Checkboxes("Case examples to run live")
    day = day_field("Date", "27 3 2027", "Enter the date of the session")
    start = TimeField(
        "Start time",
        description="For example, 09:30",
        validators=[InputRequired(message="Enter the start time, like 09:30")],
    )
    end = TimeField(
        "End time",
        description="For example, 12:30",
        validators=[InputRequired(message="Enter the end time, like 12:30")],
    )
    venue = text_field("Venue", 300, description="Leave empty for an online session.")
    online_link = StringField(
        "Online meeting link",
        description="Leave empty for a session in a room. For example, https://meet.example.org/abc",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            Optional(),
            URL(message="Enter the meeting link in full, starting with https://"),
            Length(max=500, message="Meeting link must be 500 characters or fewer"),
        ],
    )
    capacity = IntegerField(
        "Places",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the number of places, like 20"),
            NumberRange(1, 500, message="Places must be between 1 and 500"),
        ],
    )
    organisation_ids = Checkboxes("Open to these organisations")
    partnership_id = SelectField(
        "Or open to a whole partnership", widget=GovSelect(), coerce=int, default=0
    )
    agencies = Checkboxes("Agencies it aims to bring together", choices=list(SECTORS.items()))
    submit = SubmitField("Save session", widget=GovSubmitInput())

    def __init__(self, catalogue, organisations, partnerships, session=None, **kwargs) -> None:
        super().__init__(obj=session, **kwargs)
        self.catalogue = catalogue
        self.original_start = session.starts_at if session else None
        self.course_id.choices = [("", "Select a course")] + [
            (c.id, c.title) for c in catalogue.courses.values()
        ]
        self.module_ids.choices = [
            (m.id, f"{catalogue.courses[m.course_id].title}: {m.title}")
            for m in catalogue.modules.values()
            if m.course_id in catalogue.courses
        ]
        self.case_ids.choices = [(c.id, c.title) for c in catalogue.cases.values()]
        self.organisation_ids.choices = [(str(o.id), o.name) for o in organisations]
        self.partnership_id.choices = [(0, "No partnership")] + [
            (p.id, p.name) for p in partnerships
        ]

    def validate_course_id(self, field) -> None:
        if field.data not in self.catalogue.courses:
            raise ValidationError("Select the course")

    def validate_module_ids(self, field) -> None:
        modules = self.catalogue.modules
        if any(m not in modules or modules[m].course_id != self.course_id.data for m in field.data):
            raise ValidationError("Select only modules of the course you chose")

    def validate_case_ids(self, field) -> None:
        if any(case_id not in self.catalogue.cases for case_id in field.data):
            raise ValidationError("Select case examples from the list")

    def validate_end(self, field) -> None:
        start, end = self.start.as_time(), field.as_time()
        if start and end and end <= start:
            raise ValidationError("The end time must be after the start time")

    def validate_organisation_ids(self, field) -> None:
        known = {value for value, _label in field.choices}
        if not set(field.data) <= known:
            raise ValidationError("Select organisations from the list")
        if not field.data and not self.partnership_id.data:
            raise ValidationError("Select the organisations or the partnership it is open to")

    def validate_agencies(self, field) -> None:
        if not set(field.data) <= set(SECTORS):
            raise ValidationError("Select agencies from the list")

    def validate_venue(self, field) -> None:
        if not field.data and not self.online_link.data:
            raise ValidationError("Enter the venue, or an online meeting link")

    def validate_online_link(self, field) -> None:
        # WTForms' URL check takes any scheme; the session page links to what is stored.
        web = field.data.lower().startswith(("https://", "http://"))
        if field.data and not web and not field.errors:
            raise ValidationError("Enter the meeting link in full, starting with https://")

    def moment(self, clock: time) -> datetime:
        day: date = self.day.data
        return datetime.combine(day, clock, tzinfo=LONDON)

    def validate_day(self, field) -> None:
        start = self.start.as_time()
        if not (field.data and start) or self.moment(start) == self.original_start:
            return  # a session under way can still have its title or venue corrected
        if self.moment(start) < datetime.now(LONDON):
            raise ValidationError("The session must start in the future")

    def fill_from(self, session) -> None:
        """The fields a session stores differently from how people type them."""
        starts, ends = session.starts_at.astimezone(LONDON), session.ends_at.astimezone(LONDON)
        self.day.data = starts.date()
        self.start.data = f"{starts:%H:%M}"
        self.end.data = f"{ends:%H:%M}"
        self.organisation_ids.data = [str(o.id) for o in session.organisations]
        self.partnership_id.data = session.partnership_id or 0


class ConfirmForm(Form):
    """A button that changes something: its token is all it carries."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class JoinForm(Form):
    code = StringField(
        "Join code",
        description="Shown on the trainer's screen, for example K7RM4Q.",
        widget=GovTextInput(),
        filters=[normalise_code],
        validators=[InputRequired(message="Enter the join code shown on the trainer's screen")],
    )
    display_name = text_field(
        "Your name as others will see it",
        80,
        description="Your first name is enough.",
        called="Name",
    )
    agency = radio_field("Your agency", SECTORS, "Select your agency")
    submit = SubmitField("Join the session", widget=GovSubmitInput())

    def __init__(self, is_guest: bool, **kwargs) -> None:
        super().__init__(**kwargs)
        self.is_guest = is_guest

    def validate_display_name(self, field) -> None:
        if self.is_guest and not field.data:
            raise ValidationError("Enter your name as others will see it")


class VoteForm(Form):
    choice = RadioField("What would you do?", widget=GovRadioInput(), validate_choice=False)
    stage = HiddenField()
    submit = SubmitField("Send my answer", widget=GovSubmitInput())

    def validate_choice(self, field) -> None:
        if self.chosen() is None:
            raise ValidationError("Select what you would do")

    def chosen(self) -> str | None:
        """The choice marked, if it is one of the stage's; anything else sent is not kept."""
        data = self.choice.data
        return data if data in {value for value, _label in self.choice.choices} else None


class LiveForm(Form):
    """A presenter's button: the state version it was pressed on stops a double press acting twice."""

    action = HiddenField()
    version = HiddenField()


class RegisterForm(Form):
    user_id = HiddenField()
    present = HiddenField()


RATINGS = {
    "5": "Very useful",
    "4": "Useful",
    "3": "Neither useful nor not useful",
    "2": "Not very useful",
    "1": "Not useful at all",
}


class FeedbackForm(Form):
    rating = radio_field(
        "How useful was the session?", RATINGS, "Select how useful the session was"
    )
    comment = text_field(
        "What would you tell the trainer? (optional)", 2000, called="Comment", multiline=True
    )
    submit = SubmitField("Send feedback", widget=GovSubmitInput())
