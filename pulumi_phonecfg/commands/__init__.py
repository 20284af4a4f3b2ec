"""The `phonecfg` command: `cli.py` (its arguments), `export/` (existing configs as a program), `migrate.py`
(dynamic resources to native ones in a state file)."""
