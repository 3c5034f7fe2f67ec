"""Helpers the tests share (fixtures stay in conftest.py files; tests import helpers from here)."""
