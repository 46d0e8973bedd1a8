"""Test-only settings of the fault test's server (test_faults.py): the settings of production
plus the app that stops the server in the middle of an operation (fault_injection.py)."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "gops.core.tests.fault_injection.FaultInjection"]
