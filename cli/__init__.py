"""The `carnet` command line (an adapter over the service layer): `cli.main:main` is the entry point."""
