"""The field table (`fields.py`: one line a field) and what comes from it: the pydantic input models
(`models.py`), the canonical form (`canonical.py`), the API's documents (`api_documents.py`), credential
fingerprints (`fingerprints.py`) and the integration outputs (`integration.py`: SIP URI, connectors)."""
