"""Academy actions, one module per record: the teacher pool (``teachers``), trainee import jobs (``imports``),
the course library (``courses``) and training offerings (``offerings``). Each function is declared a transition
with ``@action("<key>")`` (see :mod:`jiangxin.platform.academy.transitions`), which imports every module here."""
