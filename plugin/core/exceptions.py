"""The one base of the errors the plugin reports to its users.

Every error a job, the registry or a reader raises for the user to act on is a CityCodeError: its text was
made with tr() where it was raised, so it reads in the user's language (Chinese or English), says what was
wrong and what to do, and means that nothing already stored was changed. Processing algorithms, tasks and
dialogs catch this one class and show the text; anything else is a bug and keeps its traceback.
"""


class CityCodeError(Exception):
    """A refusal or failure the user can act on; str(error) is the message to show."""
