"""Funding ledger (资金台账), sanctions and the yearly run (年度运行) after naming."""
