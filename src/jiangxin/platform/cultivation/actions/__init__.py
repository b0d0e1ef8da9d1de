"""The cultivation year's state changes, one module per kind of record changed (the shape of Zulip's
``zerver/actions/``): the year, enrolments, majors, choices, mentors, plans, attendance, leave, research reports,
grading, incidents, deferral, acceptance, funding and surveys. Reading lives in :mod:`..selectors`.

Every function here is registered with ``@action("<key>")`` from :mod:`..transitions`. Importing this package
imports that table first, and the table imports every module of this package, so a transition is declared
whichever module is imported first.
"""

from jiangxin.platform.cultivation import transitions  # noqa: F401
