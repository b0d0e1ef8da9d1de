"""The park's state changes, one module per kind of record changed (the shape of Zulip's ``zerver/actions/``):
residency and fees, presence, data reports, evaluation and rectification, exit, benefits and offerings, service
requests. Reading lives in :mod:`..selectors`.

Every function here is registered with ``@action("<key>")`` from :mod:`..transitions` (``submit_request`` with
``@transition``). Importing this package imports that table first, and the table imports every module of this
package, so a transition is declared whichever module is imported first.
"""

from jiangxin.platform.park import transitions  # noqa: F401
