"""Reading the cultivation year, one module per part (set-up, training, results): what a page lists, what a check
would say, the tables it exports. Nothing here changes a record; the state changes live in :mod:`..actions`.
"""
