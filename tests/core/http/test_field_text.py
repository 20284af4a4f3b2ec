"""Core messages that name fields: the Python spelling as a str, any face's spelling on demand."""

from __future__ import annotations

import pickle

from pulumi_phonecfg.core.http.errors import ConfigConflictError, PhoneApiError
from pulumi_phonecfg.core.http.field_text import FieldName, FieldSetting, FieldText, Spelling, spelled

SHOUTING = Spelling(path=str.upper, setting=lambda path, value: f"{path.upper()} <- {value}")


def test_a_field_text_is_the_python_spelling_and_renders_in_another() -> None:
    text = FieldText("set ", FieldSetting("adopt_existing", True), " or list ", FieldName("phone_numbers[0].agent_id"))
    assert text == "set adopt_existing=True or list phone_numbers[0].agent_id"
    assert spelled(text, SHOUTING) == "set ADOPT_EXISTING <- True or list PHONE_NUMBERS[0].AGENT_ID"
    assert spelled("no fields here", SHOUTING) == "no fields here"
    assert pickle.loads(pickle.dumps(text)).spelled(SHOUTING) == spelled(text, SHOUTING)


def test_an_error_renders_its_message_in_a_spelling() -> None:
    error = ConfigConflictError(FieldText("an inline ", FieldName("phone_numbers"), " list"))
    assert str(error) == "an inline phone_numbers list"
    assert error.spelled(SHOUTING) == "an inline PHONE_NUMBERS list"
    api_error = PhoneApiError("create phone config 'x'", 409, "taken")
    assert api_error.spelled(SHOUTING) == str(api_error) == "create phone config 'x' failed: HTTP 409: taken"
