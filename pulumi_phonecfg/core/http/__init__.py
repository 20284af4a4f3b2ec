"""HTTP to the phone-config API: `client.py` (requests, redaction), `auth.py` (tokens), `retry.py` (backoff,
deadlines), `settings.py` (provider settings from config or environment), `errors.py` and `error_text.py`
(our exceptions and their one-line texts), `logs.py` (the debug log)."""
