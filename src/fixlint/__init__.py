"""fixlint: a static analyzer for pytest fixtures' teardown safety."""

__version__ = "0.1.0"
