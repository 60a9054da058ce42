"""Plugins for every test under this folder, notebooks included."""

pytest_plugins = ["tests.nbval_glue"]
