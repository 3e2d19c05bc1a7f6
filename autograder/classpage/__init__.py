"""The class page: ``report.html``, one offline Korean page for the instructor (:mod:`.page`)."""
