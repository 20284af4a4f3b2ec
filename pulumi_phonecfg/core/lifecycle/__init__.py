"""What each resource does, one module a resource: `phone_config.py`, `phone_number.py`. Beside them the
tenant's name index (`known_configs.py`), agents by name (`agents.py`), what one provider process holds
(`session.py`) and the results the lifecycles return (`results.py`), which each face turns into its own."""
