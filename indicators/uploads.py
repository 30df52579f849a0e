"""An upload handler that drops a file over the size limit as it arrives, so that nothing of it is kept
(not in memory, not in a temporary file), and tells the view it did. Django reads uploads through
the request's handlers before any view code runs; this one goes first."""

from __future__ import annotations

from django.core.files.uploadhandler import FileUploadHandler, SkipFile

# The multipart framing and the form's other fields, on top of the file itself.
SLACK = 64 * 1024


class SizeLimitHandler(FileUploadHandler):
    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.refused = False
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + SLACK:
            self.refused = True  # Content-Length says so already: every file part is skipped

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.refused:
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.refused = True
            raise SkipFile
        return raw_data  # within the limit: the next handler stores it

    def file_complete(self, file_size):
        return None  # the next handler makes the file
