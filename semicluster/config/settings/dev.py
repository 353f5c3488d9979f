"""Local development: the embedded SQLite database, debug on."""

from semicluster.config.env import env_bool
from semicluster.config.settings.base import *  # noqa: F403

DEBUG = env_bool("DEBUG", True)
