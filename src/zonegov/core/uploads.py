"""Upload plumbing shared by every page that receives files."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest


class UploadSizeCap(FileUploadHandler):
    """Installed before Django's own handlers: stops receiving a file as soon as it passes
    ``cap`` bytes, so an oversized upload is neither held in memory nor written to the
    temporary directory before it is refused. ``exceeded`` tells the view to say so."""

    def __init__(self, request: HttpRequest, cap: int):
        super().__init__(request)
        self.cap = cap
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.cap:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
