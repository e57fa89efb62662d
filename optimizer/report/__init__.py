"""What planners print and act on: the HTML report and the letters (the CLI's text summary
is optimizer.cli.summary)."""

from .folder import ResultFolder, ResultFolderError, read_result_folder
from .letters import LETTERS_FILE, build_letters, write_folder_letters, write_letters
from .render import REPORT_FILE, render_report, write_folder_report, write_report

__all__ = [
    "LETTERS_FILE",
    "REPORT_FILE",
    "ResultFolder",
    "ResultFolderError",
    "build_letters",
    "read_result_folder",
    "render_report",
    "write_folder_letters",
    "write_folder_report",
    "write_letters",
    "write_report",
]
