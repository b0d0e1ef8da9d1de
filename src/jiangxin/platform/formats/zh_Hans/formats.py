"""Simplified Chinese input formats: Django's, with the ISO date first.

A form widget renders a date with the first input format, and a browser's date picker (<input type="date">)
accepts only ``2026-11-01``: with Django's ``2026/11/01`` first, every date of an edit form showed empty on the
Chinese pages. Dates typed with slashes or as 2026年11月1日 are still read."""

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # '2016-09-05'
    "%Y/%m/%d",  # '2016/09/05'
    "%Y年%n月%j日",  # '2016年9月5日'
]
