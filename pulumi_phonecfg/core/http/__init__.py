"""HTTP to the phone-config API: `client.py` (requests, redaction), `auth.py` (tokens), `retry.py` (backoff,
deadlines), `settings.py` (provider settings from config or environment), `errors.py`, `error_text.py` and
`field_text.py` (our exceptions, their one-line texts, and the fields they name, spelled by each face), `logs.py`
(the debug log)."""
