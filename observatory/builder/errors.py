"""The one error a build raises for a person to read."""


class BuildError(Exception):
    """The build cannot run; the message (French) says what is missing or wrong."""
