"""Files for other systems: the gradebook (JSON, CSV), LMS imports, Gradescope and Classroom 50 results.

:mod:`.formats` is the one list of them that ``grade`` writes and ``--export`` offers.
"""
