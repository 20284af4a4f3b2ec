"""The core: what a phone config is and how it is written, for every face.

It knows nothing of the faces above it (`dynamic/`, `native/`, `commands/`): no module here imports one
(tests/core/test_layers.py reads the import graph from the code and fails if one does).

- `http/`: the API client, authentication, retries, provider settings, errors and their one-line texts.
- `schema/`: the field table and what comes from it: pydantic models, canonical form, API documents,
  credential fingerprints, integration outputs.
- `lifecycle/`: what each resource does (check, diff, create, read, update, delete of phone configs and phone
  numbers), the name index, agents by name, the per-process session, and the results the lifecycles return.
"""
