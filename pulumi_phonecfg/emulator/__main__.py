"""``python -m pulumi_phonecfg.emulator``: run the emulator (see ``server.main``)."""

from pulumi_phonecfg.emulator.server import main

raise SystemExit(main())
