"""Intake of paper mail: scanner sources, image clean-up, OCR, searchable PDF, field extraction.

Plain Python (no Qt). Entry points for the UI and the CLI:
  sources.list_devices(), sources.acquire(...)     SANE scanners in a separate process
  pipeline.process(paths, ...) -> IntakeResult     OCR, searchable PDF, suggested fields
  extract.extract_fields(layouts, ...) -> dict     fields from word boxes
  watch.watch_folder(...)                          scan-to-folder drops
"""
