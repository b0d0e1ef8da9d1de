"""The panels app's shared ground: ``PanelError`` and who manages panels, what may be scored.
"""

from __future__ import annotations

from jiangxin.platform.accounts.roles import Role
from jiangxin.platform.applications.models import Status as AppStatus
from jiangxin.platform.core.transitions import TransitionRefused

#: roles that set up and run panels for the rounds their organisation organises
MANAGER_ROLES = frozenset({Role.OFFICE, Role.PARK_OFFICE})
#: application states that may go to a panel (never a draft or a withdrawn one)
SCORABLE = (AppStatus.SUBMITTED, AppStatus.RECOMMENDED)


class PanelError(TransitionRefused):
    """A transition that is not allowed now; the message is shown to the user (Chinese)."""
