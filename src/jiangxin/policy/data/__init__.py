"""Data files of the policy core (office-editable calendars)."""
