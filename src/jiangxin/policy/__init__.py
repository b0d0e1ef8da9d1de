"""The policy core: pure Python, no Django, deterministic.

Every computation returns an :class:`~jiangxin.policy.outcome.Outcome` whose trace cites the
document and article each rule comes from.
"""
