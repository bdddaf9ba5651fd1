"""A feedback for engine runs in tests: keeps what the run says (pushInfo), never cancels."""


class Log:
    def __init__(self):
        self.lines = []

    def pushInfo(self, text):  # noqa: N802 - QGIS API
        self.lines.append(text)

    def setProgress(self, value):  # noqa: N802
        pass

    def isCanceled(self):  # noqa: N802
        return False
