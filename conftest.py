"""Shared fixtures live in semicluster/core/testing.py."""

pytest_plugins = ["semicluster.core.testing"]
